"""Procedure guide pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.views import add_service_errors

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


@login_required
def new(request):
    units = selectors.writing_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    form = EntryForm(request.POST or None, units=units, initial={"topic": request.GET.get("topic", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            entry = services.entry_create(actor=request.user, unit=data.pop("unit"), data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The procedure is in the guide."))
            return redirect("guide:entry", pk=entry.pk)
    return render(request, "guide/edit.html", {"form": form})


@login_required
def edit(request, pk: int):
    entry = selectors.entry_for_edit(actor=request.user, pk=pk)
    initial = {name: getattr(entry, name) for name in services.FIELDS}
    form = EntryForm(
        request.POST or None, units=selectors.writing_units(actor=request.user), editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_update(actor=request.user, entry=entry, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The procedure is changed."))
            return redirect("guide:entry", pk=entry.pk)
    return render(request, "guide/edit.html", {"form": form, "entry": entry})
