"""Notice pages: the list, issuing a notice, reading one (with its read rate for those who oversee it), withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import RoleKind
from common.views import add_service_errors, is_kept_ahead
from members.kept_pages import kept_for_plain_members

from . import selectors, services
from .choices import NoticeKind
from .forms import NewsForm, NoticeForm

PAGE_SIZE = 20


def _next_scheduled(unit_paths: list[str]):
    """A plain member's kept list changes when a notice scheduled above them comes out."""
    return selectors.first_scheduled_publication(unit_paths, now=timezone.now())


@login_required
@kept_for_plain_members(lapses=_next_scheduled)
def notice_list(request):
    page = Paginator(selectors.notice_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_issue = selectors.publishing_units(request.user).exists()
    return render(request, "notices/list.html", {"page": page, "can_issue": can_issue})


def _issue_page(request, *, form_class, create, template: str, published: str, scheduled: str):
    """The page that issues a notice or a news item: the form, the service's refusals beside its fields, and on
    success the item, with whether it is out now or when it will be."""
    units = selectors.publishing_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            item = create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if item.published_at:
                messages.success(request, published)
            else:
                when = f"{timezone.localtime(item.publish_at):%d/%m/%Y %H:%M}"
                messages.success(request, scheduled % {"when": when})
            return redirect("notices:detail", pk=item.pk)
    return render(request, template, {"form": form})


@login_required
def notice_create(request):
    return _issue_page(
        request,
        form_class=NoticeForm,
        create=services.notice_create,
        template="notices/form.html",
        published=_("The notice is published."),
        scheduled=_("The notice will be published on %(when)s."),
    )


@login_required
def news_list(request):
    news = selectors.notice_list(actor=request.user, kind=NoticeKind.NEWS)
    page = Paginator(news, PAGE_SIZE).get_page(request.GET.get("page"))
    can_publish = selectors.publishing_units(request.user).exists()
    return render(request, "notices/news_list.html", {"page": page, "can_publish": can_publish})


@login_required
def news_create(request):
    return _issue_page(
        request,
        form_class=NewsForm,
        create=services.news_create,
        template="notices/news_form.html",
        published=_("The news item is published."),
        scheduled=_("The news item will be published on %(when)s."),
    )


@login_required
def news_picture(request, pk: int):
    """A news item's picture, for whoever may open the item."""
    news = selectors.notice_get(actor=request.user, pk=pk)
    if not news.picture:
        raise Http404
    response = FileResponse(news.picture.open("rb"), content_type=news.picture_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def notice_detail(request, pk: int):
    """Opening a notice is reading it: a recipient's first visit records the read receipt. An overseer sees the read
    rates as counted up to a minute ago (selectors.READ_RATES_KEPT_SECONDS)."""
    try:
        notice = selectors.notice_get(actor=request.user, pk=pk)
    except Http404:
        withdrawn = selectors.withdrawn_notice_received(actor=request.user, pk=pk)
        if withdrawn is None:
            raise
        # Its content is taken back; only the fact remains, so the inbox link does not lead to "not found".
        return render(request, "notices/withdrawn.html", {"notice": withdrawn}, status=410)
    if not is_kept_ahead(request):
        services.notice_read_record(user=request.user, notice=notice)
    can_oversee = selectors.can_oversee(request.user, notice)
    roles = dict(RoleKind.choices)
    context = {
        "notice": notice,
        "audience": [roles[role] for role in selectors.notice_roles(notice)],
        "can_oversee": can_oversee,
        "can_manage": selectors.can_manage(request.user, notice),
        "read_rates": selectors.notice_read_rates_recent(notice) if can_oversee else None,
    }
    return render(request, "notices/detail.html", context)


@login_required
@require_POST
def notice_withdraw(request, pk: int):
    notice = selectors.notice_get(actor=request.user, pk=pk)
    services.notice_withdraw(actor=request.user, notice=notice, reason=request.POST.get("reason", ""))
    messages.success(
        request, _("The news item is withdrawn.") if notice.kind == NoticeKind.NEWS else _("The notice is withdrawn.")
    )
    return redirect("notices:detail", pk=notice.pk)
