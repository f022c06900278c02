"""Pages: my record with verify/correct, the queue, a request and its decision, papers, the change file, figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths
from audit.services import snapshot
from common.dates import today
from common.routers import heavy_read_view
from common.views import add_service_errors, service_action
from members.display import history_entries, history_snapshots, record_sections, related_names
from members.selectors import member_get, member_history, member_list
from members.services import record_access_log
from orgunits.models import Unit
from orgunits.selectors import unit_get

from . import campaigns, selectors, services
from .choices import Decision, RequestState, Section
from .display import describe, label_of
from .exporting import change_file_export
from .forms import (
    BulkDecisionForm,
    CampaignAnswerForm,
    CampaignForm,
    ChangeFileForm,
    CorrectionForm,
    DecisionForm,
    QueueFilterForm,
)
from .policy import SECTION_FIELDS


def _record_url(request, member) -> str:
    if request.user.member_id == member.pk:
        return reverse("corrections:my_record")
    return reverse("corrections:member_record", args=[member.pk])


def _record_page(request, member):
    values = snapshot(member)
    history = member_history(member=member)
    names = related_names([values, *history_snapshots(history)])
    sections = record_sections(values, names)[: len(Section.values)]
    verified = selectors.last_verified(member=member)
    requests = describe(selectors.member_requests(member=member), current={member.pk: values})
    open_by_section: dict[str, list] = {}
    for item in requests:
        if item.is_open:
            open_by_section.setdefault(item.section, []).append(item)
    context = {
        "member": member,
        "is_own": request.user.member_id == member.pk,
        "sections": [
            {
                "key": key,
                "title": section.title,
                "rows": section.rows,
                "verified_on": verified.get(key),
                "pending": open_by_section.get(key, []),
            }
            for key, section in zip(Section.values, sections, strict=True)
        ],
        "requests": requests,
        "notifications": selectors.member_notifications(member=member),
        "history": history_entries(history, names),
        "campaigns": [
            (campaign, CampaignAnswerForm(member=member, prefix=f"campaign-{campaign.pk}"))
            for campaign in campaigns.open_campaigns_for(member)
        ],
    }
    return render(request, "corrections/record.html", context)


@login_required
def my_record(request):
    """The signed-in member's record in sections, to check and correct."""
    if not request.user.member_id:
        return render(request, "corrections/no_record.html")
    return _record_page(request, member_get(actor=request.user, pk=request.user.member_id))


@login_required
def member_search(request):
    """Find a member to check their record with them or to open a request for them (officials, supporters)."""
    query = request.GET.get("q", "").strip()
    found = list(member_list(actor=request.user, search=query)[:20]) if query else []
    return render(request, "corrections/member_search.html", {"query": query, "members": found})


@login_required
def member_record(request, pk: int):
    """The same page opened by an official or supporter for a member in their scope."""
    member = member_get(actor=request.user, pk=pk)
    record_access_log(actor=request.user, member=member)
    return _record_page(request, member)


@login_required
@require_POST
def verify(request, pk: int):
    member = member_get(actor=request.user, pk=pk)
    section = request.POST.get("section", "")
    sections = list(Section.values) if section == "all" else [section]
    return service_action(
        request,
        lambda: services.record_verify(actor=request.user, member=member, sections=sections),
        success=_("Thank you: recorded as correct today."),
        to=_record_url(request, member),
    )


@login_required
def request_create(request, pk: int, section: str):
    member = member_get(actor=request.user, pk=pk)
    if section not in SECTION_FIELDS:
        raise Http404
    if request.method == "POST":
        form = CorrectionForm(request.POST, request.FILES, member=member, section=section)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                form.add_error(None, _("Change at least one value."))
            else:
                try:
                    created = services.correction_request_create(
                        actor=request.user,
                        member=member,
                        changes=changes,
                        reason=form.cleaned_data["reason"],
                        attachments=form.cleaned_data["attachments"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    applied = sum(1 for item in created if item.state == RequestState.APPLIED)
                    messages.success(
                        request,
                        _("Sent: %(sent)s to decide, %(applied)s applied at once.")
                        % {"sent": len(created) - applied, "applied": applied},
                    )
                    return redirect(_record_url(request, member))
    else:
        form = CorrectionForm(member=member, section=section)
    context = {
        "member": member,
        "form": form,
        "section_title": Section(section).label,
        "cancel_url": _record_url(request, member),
    }
    return render(request, "corrections/request_form.html", context)


@login_required
def queue(request):
    filters = QueueFilterForm(request.GET or None)
    arguments = {}
    if filters.is_bound and filters.is_valid():
        arguments = {
            "state": filters.cleaned_data["state"],
            "field": filters.cleaned_data["field"],
            "overdue": filters.cleaned_data["overdue"],
        }
    day = today()
    requests = describe(selectors.queue(actor=request.user, day=day, **arguments)[:200])
    for item in requests:
        item.is_overdue = item.due_on is not None and item.due_on < day
        item.can_decide = services.can_decide(request.user, item)
    context = {
        "filters": filters,
        "requests": requests,
        "decisions": Decision.choices,
        "can_decide_any": bool(granted_unit_paths(request.user, Permission.MEMBER_CHANGE)),
    }
    return render(request, "corrections/queue.html", context)


@login_required
@require_POST
def bulk_decide(request):
    ids = [int(value) for value in request.POST.getlist("requests") if value.isdigit()]
    visible = {item.pk: item for item in selectors.queue(actor=request.user).filter(pk__in=ids)}
    if ids and not visible:
        # Requests outside the user's queues do not exist for them.
        raise Http404
    form = BulkDecisionForm(request.POST, request_ids=list(visible))
    if not form.is_valid():
        messages.error(request, _("Select requests from your queue and a decision."))
        return redirect("corrections:queue")
    labels = dict(RequestState.choices) | {"refused": _("refused")}
    return service_action(
        request,
        lambda: services.correction_requests_decide_bulk(
            actor=request.user,
            requests=[visible[pk] for pk in form.cleaned_data["requests"]],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
        success=lambda outcome: "; ".join(
            f"{labels.get(state, state)}: {count}" for state, count in sorted(outcome.items())
        ),
        to="corrections:queue",
    )


def _detail(request, item, form=None, status=200):
    [item] = describe([item])
    context = {
        "item": item,
        "events": list(item.events.select_related("unit").all()),
        "attachments": list(item.attachments.all()),
        "can_decide": services.can_decide(request.user, item) and item.is_open,
        "form": form or DecisionForm(allowed=services.allowed_decisions(item)),
        "is_overdue": item.is_open and item.due_on is not None and item.due_on < today(),
    }
    return render(request, "corrections/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    return _detail(request, selectors.request_get(actor=request.user, pk=pk))


@login_required
@require_POST
def decide(request, pk: int):
    item = selectors.request_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST, allowed=services.allowed_decisions(item))
    if not form.is_valid():
        return _detail(request, item, form)
    try:
        decided = services.correction_request_decide(
            actor=request.user, request=item, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, selectors.request_get(actor=request.user, pk=pk), form)
    if decided.state == RequestState.CONFLICT:
        messages.warning(
            request, _("The record changed after the request was made. Compare the current value and decide again.")
        )
    else:
        messages.success(request, _("Decided: %(state)s.") % {"state": decided.get_state_display()})
    return redirect("corrections:detail", pk=pk)


@login_required
def attachment(request, pk: int):
    paper = selectors.attachment_get(actor=request.user, pk=pk)
    response = FileResponse(paper.file.open("rb"), content_type=paper.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _percent(share: float | None) -> str:
    """92,1% in Vietnamese, 92.1% in English; an empty unit has no share."""
    return f"{number_format(share * 100, decimal_pos=1)}%" if share is not None else "—"


def _default_unit(user) -> Unit | None:
    paths = granted_unit_paths(user, Permission.MEMBER_VIEW)
    return Unit.objects.filter(path=paths[0]).first() if paths else None


@login_required
@heavy_read_view
def change_file(request):
    form = ChangeFileForm(request.GET or None)
    if form.is_bound and form.is_valid():
        unit = unit_get(actor=request.user, code=form.cleaned_data["unit"], permission=Permission.MEMBER_VIEW)
        content, _rows = change_file_export(
            actor=request.user,
            unit=unit,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            purpose=form.cleaned_data["purpose"],
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"dieu-chinh-{unit.code}-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if not granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        raise Http404
    return render(request, "corrections/change_file.html", {"form": form})


@login_required
@heavy_read_view
def figures(request):
    code = request.GET.get("unit")
    unit = (
        unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
        if code
        else _default_unit(request.user)
    )
    if unit is None:
        raise Http404
    result = selectors.unit_figures(unit=unit, day=today())
    result["verified_percent"] = _percent(result["verified_share"])
    for row in result["by_field_state"]:
        row["label"] = label_of(row["field_name"])
        row["state_label"] = RequestState(row["state"]).label
    return render(request, "corrections/figures.html", {"unit": unit, "figures": result})


@login_required
def campaign_list(request):
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            unit = unit_get(actor=request.user, code=form.cleaned_data["unit"], permission=Permission.MEMBER_CHANGE)
            try:
                campaign = campaigns.campaign_create(
                    actor=request.user,
                    unit=unit,
                    title=form.cleaned_data["title"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("corrections:campaign", pk=campaign.pk)
    else:
        default = _default_unit(request.user)
        form = CampaignForm(initial={"unit": default.code if default else "", "starts_on": today()})
    context = {
        "campaigns": list(campaigns.campaigns_visible_to(request.user)[:100]),
        "form": form,
        "can_create": bool(granted_unit_paths(request.user, Permission.MEMBER_CHANGE)),
    }
    return render(request, "corrections/campaign_list.html", context)


@login_required
def campaign_detail(request, pk: int):
    campaign = campaigns.campaign_get(actor=request.user, pk=pk)
    progress = campaigns.campaign_progress(campaign, actor=request.user)
    for row in progress:
        row["confirmed_percent"] = _percent(row["confirmed_share"])
    context = {"campaign": campaign, "progress": progress}
    return render(request, "corrections/campaign_detail.html", context)


@login_required
@require_POST
def campaign_answer(request, pk: int, member_pk: int):
    member = member_get(actor=request.user, pk=member_pk)
    campaign = next((item for item in campaigns.open_campaigns_for(member) if item.pk == pk), None)
    if campaign is None:
        raise Http404
    form = CampaignAnswerForm(request.POST, member=member, prefix=f"campaign-{pk}")
    if not form.is_valid():
        messages.error(request, _("Choose your cell from the list."))
        return redirect(_record_url(request, member))
    cell = None if request.POST.get("answer") == "yes" else form.cleaned_data["cell"]
    return service_action(
        request,
        lambda: campaigns.campaign_answer(
            actor=request.user, campaign=campaign, member=member, cell=cell, reason=form.cleaned_data["reason"]
        ),
        success=lambda answer: (
            _("Thank you: your cell is confirmed.")
            if answer.is_confirmed
            else _("Thank you: a correction of your cell has been requested.")
        ),
        to=_record_url(request, member),
    )
