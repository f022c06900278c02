"""Procedure guide pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.views import form_service

from . import selectors, services
from .choices import Topic
from .forms import EntryForm

PAGE_SIZE = 30


@login_required
def index(request):
    search, topic = request.GET.get("q", "").strip()[:200], request.GET.get("topic", "")
    rows = selectors.entry_list(actor=request.user, search=search, topic=topic)
    return render(
        request,
        "guide/index.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "search": search,
            "topic": topic,
            "topics": Topic.choices,
            "can_write": selectors.writing_units(actor=request.user).exists(),
        },
    )


@login_required
def entry(request, pk: int):
    entry = selectors.entry_get(actor=request.user, pk=pk)
    return render(
        request, "guide/entry.html", {"entry": entry, "can_edit": selectors.can_edit(user=request.user, entry=entry)}
    )


def _entry_url(entry) -> str:
    return reverse("guide:entry", args=[entry.pk])


@login_required
def new(request):
    units = selectors.writing_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    form = EntryForm(request.POST or None, units=units, initial={"topic": request.GET.get("topic", "")})
    if done := form_service(
        request,
        form,
        lambda data: services.entry_create(
            actor=request.user, unit=data["unit"], data={k: v for k, v in data.items() if k != "unit"}
        ),
        success=_("The procedure is in the guide."),
        to=_entry_url,
    ):
        return done
    return render(request, "guide/edit.html", {"form": form})


@login_required
def edit(request, pk: int):
    entry = selectors.entry_for_edit(actor=request.user, pk=pk)
    initial = {name: getattr(entry, name) for name in services.FIELDS}
    form = EntryForm(
        request.POST or None, units=selectors.writing_units(actor=request.user), editing=True, initial=initial
    )
    if done := form_service(
        request,
        form,
        lambda data: services.entry_update(actor=request.user, entry=entry, data=data),
        success=_("The procedure is changed."),
        to=_entry_url,
    ):
        return done
    return render(request, "guide/edit.html", {"form": form, "entry": entry})
