"""Writes of the reports app: templates, campaigns, and each report's life (save, submit, return, accept, compile).

Every write checks the actor's permission, locks the rows it changes, validates, and leaves a change-log row;
a report's steps are also SubmissionEvent rows (the return reason among them), so its history is kept.
An accepted report is locked: nothing changes it any more.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.services import model_create, model_update
from common.queueing import enqueue_on_commit
from notifications.services import Message, notify
from orgunits.choices import AreaKind, OrganisationKind, UnitKind
from orgunits.models import AdminArea, Organisation, Unit

from . import fields as report_fields
from . import selectors
from .choices import (
    AREAS_OF_BOTH_KINDS,
    EDITABLE_STATES,
    FILED_STATES,
    PLACE_KINDS_SEPARATOR,
    PLACE_TARGET_KINDS,
    EventKind,
    FieldKind,
    SubmissionState,
    TargetTree,
)
from .models import Campaign, ReportTemplate, Submission, SubmissionEvent
from .presets import PLACE_CAMPAIGN_INDICATORS

LAYOUT_FIELDS = ("body", "place", "recipients", "signer_title")


# Templates


@transaction.atomic
def template_create(
    *, actor: User, unit: Unit, code: str, title: str, fields: list[dict], reason: str = "", **layout
) -> ReportTemplate:
    """Version 1 of a new template, prescribed by `unit` (REPORT_MANAGE on it)."""
    require_unit_permission(actor, Permission.REPORT_MANAGE, unit)
    code = (code or "").strip()
    if ReportTemplate.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A template with this code exists: change it to make a new version.")})
    template = ReportTemplate(
        unit=unit,
        code=code,
        version=1,
        title=(title or "").strip(),
        fields=report_fields.clean_fields(fields),
        created_by=actor,
        **{name: (layout.get(name) or "").strip() for name in LAYOUT_FIELDS},
    )
    return model_create(template, actor=actor, reason=reason, unit=unit)


@transaction.atomic
def template_revise(
    *, actor: User, template: ReportTemplate, title: str, fields: list[dict], **layout
) -> ReportTemplate:
    """Save a change as the next version; the old version stays as it was for the campaigns that used it."""
    require_unit_permission(actor, Permission.REPORT_MANAGE, template.unit)
    latest = selectors.template_versions(template).select_for_update().first()
    revised = ReportTemplate(
        unit=template.unit,
        code=template.code,
        version=latest.version + 1,
        title=(title or "").strip(),
        fields=report_fields.clean_fields(fields),
        created_by=actor,
        **{name: (layout.get(name) or "").strip() for name in LAYOUT_FIELDS},
    )
    return model_create(revised, actor=actor, unit=template.unit, reason=_("Version %(n)s") % {"n": revised.version})


# Campaigns


def area_target_kinds(target_kind: str) -> tuple[str, ...]:
    """The kinds of area a campaign to areas asks (none for a kind that is not one)."""
    if target_kind == AREAS_OF_BOTH_KINDS:
        return (AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP)
    return (target_kind,) if target_kind in (AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP) else ()


def place_target_kinds(target_kind: str) -> list[str]:
    """The kinds a campaign to places asks, in the order of PLACE_TARGET_KINDS; ValidationError for any other."""
    kinds = {kind.strip() for kind in (target_kind or "").split(PLACE_KINDS_SEPARATOR) if kind.strip()}
    unknown = kinds - set(PLACE_TARGET_KINDS)
    if not kinds or unknown:
        raise ValidationError({"target_kind": _("Choose villages, residential groups or kinds of organisation.")})
    return [kind for kind in PLACE_TARGET_KINDS if kind in kinds]


def _place_targets(*, area: AdminArea, issuer, target_kind: str) -> list:
    """Open villages / residential groups of the kinds under `area`, then open organisations of the kinds on its
    territory (never the issuer itself)."""
    kinds = place_target_kinds(target_kind)
    areas = AdminArea.objects.filter(path__startswith=area.path, kind__in=kinds, closed_on__isnull=True)
    organisations = (
        Organisation.objects.filter(area__path__startswith=area.path, kind__in=kinds, closed_on__isnull=True)
        .exclude(pk=getattr(issuer, "pk", None) if isinstance(issuer, Organisation) else None)
        .order_by("name", "pk")
    )
    return [*areas.order_by("path"), *organisations]


def campaign_targets(*, unit: Unit | None = None, organisation: Organisation | None = None, target_tree: str,
                     target_kind: str):  # fmt: skip
    """Open units of the kind in the unit's subtree, open areas of the kind under the issuer's area, or a mix of
    villages and organisations there (`TargetTree.PLACES`)."""
    if organisation is not None:
        if target_tree != TargetTree.PLACES:
            raise ValidationError({"target_tree": _("A People's Committee asks villages and organisations.")})
        return _place_targets(area=organisation.area, issuer=organisation, target_kind=target_kind)
    if target_tree == TargetTree.PLACES:
        if unit.area_id is None:
            raise ValidationError({"target_tree": _("This unit serves no administrative area.")})
        return _place_targets(area=unit.area, issuer=unit, target_kind=target_kind)
    if target_tree == TargetTree.UNITS:
        if target_kind not in UnitKind.values:
            raise ValidationError({"target_kind": _("Choose a kind of unit.")})
        return list(
            Unit.objects.filter(path__startswith=unit.path, kind=target_kind, closed_on__isnull=True)
            .exclude(pk=unit.pk)
            .order_by("path")
        )
    kinds = area_target_kinds(target_kind)
    if not kinds:
        raise ValidationError({"target_kind": _("Choose villages or residential groups.")})
    if unit.area_id is None:
        raise ValidationError({"target_tree": _("This unit serves no administrative area.")})
    return list(
        AdminArea.objects.filter(path__startswith=unit.area.path, kind__in=kinds, closed_on__isnull=True).order_by(
            "path"
        )
    )


@transaction.atomic
def campaign_issue(
    *,
    actor: User,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    template: ReportTemplate,
    title: str,
    target_tree: str,
    target_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    cutoff_on: datetime.date,
    deadline: datetime.date,
    remind_days_before: int = 3,
    parent: Campaign | None = None,
) -> Campaign:
    """Issue a campaign: one draft report per target, pre-filled with the figures as of the cut-off.

    The issuer is a party unit (`unit`) or a People's Committee (`organisation`), which uses the templates the
    party units serving its area, or those above them, prescribe."""
    if (unit is None) == (organisation is None):
        raise ValidationError({"unit": _("A campaign is issued by one unit or one People's Committee.")})
    if unit is not None:
        require_unit_permission(actor, Permission.REPORT_MANAGE, unit)
        if not unit.path.startswith(template.unit.path):
            raise ValidationError({"template": _("Choose a template prescribed by this unit or a unit above it.")})
    else:
        if organisation.kind != OrganisationKind.PEOPLES_COMMITTEE:
            raise ValidationError({"organisation": _("Only a People's Committee issues campaigns.")})
        if actor is not None and not selectors.organisations_issuing_for(actor).filter(pk=organisation.pk).exists():
            raise PermissionDenied(_("You do not follow this People's Committee's campaigns."))
        serving = Unit.objects.filter(area=organisation.area, path__startswith=template.unit.path)
        if not serving.exists():
            raise ValidationError(
                {"template": _("Choose a template prescribed by the party committee of this area or one above it.")}
            )
        if parent is not None:
            raise ValidationError({"parent": _("A People's Committee's campaign compiles for no party campaign.")})
    if parent is not None and not parent.submissions.filter(target_unit=unit).exists():
        raise ValidationError({"parent": _("This unit does not report to that campaign.")})
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if deadline < cutoff_on:
        errors["deadline"] = _("The deadline is before the figures' date.")
    if errors:
        raise ValidationError(errors)
    if target_tree == TargetTree.PLACES:
        _require_place_indicators(template)
    targets = campaign_targets(unit=unit, organisation=organisation, target_tree=target_tree, target_kind=target_kind)
    if not targets:
        raise ValidationError({"target_kind": _("There is no target of this kind below the unit.")})
    campaign = Campaign(
        unit=unit,
        organisation=organisation,
        template=template,
        parent=parent,
        title=(title or "").strip() or template.title,
        target_tree=target_tree,
        target_kind=target_kind,
        period_start=period_start,
        period_end=period_end,
        cutoff_on=cutoff_on,
        deadline=deadline,
        remind_days_before=remind_days_before,
        created_by=actor,
    )
    model_create(campaign, actor=actor, unit=unit)
    now = timezone.now()
    # A few hundred reports are pre-filled here; a province's campaign to every cell is pre-filled in the
    # background, so that issuing it answers at once (each report's figures take a dozen queries).
    inline = len(targets) <= settings.REPORTS_INLINE_PREFILL_LIMIT
    target_fields = {Unit: "target_unit", AdminArea: "target_area", Organisation: "target_organisation"}
    submissions = [Submission(campaign=campaign, **{target_fields[type(target)]: target}) for target in targets]
    for submission in submissions:
        submission.values = (
            report_fields.prefill(template.fields, submission.figures_target, cutoff_on) if inline else {}
        )
        submission.place = template.place
        submission.computed_at = now if inline else None
    submissions = Submission.objects.bulk_create(submissions)
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=submission, kind=EventKind.CREATED, actor=actor, at=now)
        for submission in submissions
    )
    if not inline:
        enqueue_on_commit("reports.tasks.campaign_prefill_task", campaign.pk)
    return campaign


def _require_place_indicators(template: ReportTemplate) -> None:
    """A campaign to villages and organisations asks only the rollout's counts (presets.PLACE_CAMPAIGN_INDICATORS)."""
    others = [
        report_fields.field_label(field)
        for field in template.fields
        if field["kind"] == FieldKind.INDICATOR and field["key"] not in PLACE_CAMPAIGN_INDICATORS
    ]
    if others:
        raise ValidationError(
            {
                "template": _(
                    "Villages and organisations outside the party read these reports: this template asks for "
                    "figures that are the party's own (%(fields)s). Choose a template with the rollout's figures only."
                )
                % {"fields": ", ".join(others)}
            }
        )


PREFILL_BATCH = 200


def campaign_prefill(*, campaign_id: int) -> int:
    """Compute the figures of the campaign's reports not yet pre-filled, a batch per transaction; returns how
    many it filled. Safe to run again or at once twice: each batch takes rows no other run holds."""
    filled = 0
    while True:
        with transaction.atomic():
            batch = list(
                Submission.objects.filter(campaign_id=campaign_id, computed_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("campaign__template", "target_unit", "target_area", "target_organisation__party_unit")
                .order_by("pk")[:PREFILL_BATCH]
            )
            if not batch:
                return filled
            now = timezone.now()
            for submission in batch:
                campaign = submission.campaign
                computed = report_fields.prefill(
                    campaign.template.fields, submission.figures_target, campaign.cutoff_on
                )
                # Whatever a filer typed before the figures arrived is kept.
                submission.values = {**computed, **submission.values}
                submission.computed_at = now
            Submission.objects.bulk_update(batch, ["values", "computed_at"])
            filled += len(batch)


def campaigns_prefill_pending() -> int:
    """Finish any pre-fill whose task was lost (run by the daily reminders)."""
    pending = Submission.objects.filter(computed_at__isnull=True).values_list("campaign_id", flat=True).distinct()
    return sum(campaign_prefill(campaign_id=campaign_id) for campaign_id in list(pending))


# Reports


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related(
            "campaign__unit",
            "campaign__organisation",
            "campaign__template",
            "target_unit",
            "target_area",
            "target_organisation__party_unit",
        )
        .get(pk=submission.pk)
    )


def _require_filer(actor: User, submission: Submission) -> None:
    if actor is not None and not selectors.can_file(actor, submission):
        raise PermissionDenied(_("You may not file this report."))


def _require_reviewer(actor: User, submission: Submission) -> None:
    if actor is not None and not selectors.can_review(actor, submission):
        raise PermissionDenied(_("Only those who issued the campaign may review its reports."))


def _require_editable(submission: Submission) -> None:
    if submission.state == SubmissionState.ACCEPTED:
        raise ValidationError(_("This report is accepted and locked."))
    if submission.state not in EDITABLE_STATES:
        raise ValidationError(_("This report is submitted: it can be changed only if it is returned."))


def _event(submission, kind, actor: User, note: str = "") -> SubmissionEvent:
    return SubmissionEvent.objects.create(submission=submission, kind=kind, actor=actor, note=note)


def _save(submission: Submission, *, actor: User, data: dict, reason: str = "") -> None:
    """`data` set, validated, saved and logged, with the version counted up (`expected_version` checks it)."""
    unit = submission.target_unit or submission.campaign.unit
    data = {**data, "version": submission.version + 1}
    model_update(submission, data=data, actor=actor, reason=reason, unit=unit)


@transaction.atomic
def submission_save(
    *,
    actor: User,
    submission: Submission,
    values: dict,
    number_symbol: str | None = None,
    place: str | None = None,
    signer_name: str | None = None,
    expected_version: int | None = None,
) -> Submission:
    """Save the filer's entries as a draft. `values` is {key: value} with {key}_note beside an override."""
    submission = _locked(submission)
    _require_filer(actor, submission)
    _require_editable(submission)
    if expected_version is not None and submission.version != expected_version:
        raise ValidationError(_("Someone else saved this report meanwhile. Reload it and enter your change again."))
    data = {"values": report_fields.apply_input(submission.campaign.template.fields, submission.values, values)}
    for name, value in (("number_symbol", number_symbol), ("place", place), ("signer_name", signer_name)):
        if value is not None:
            data[name] = value.strip()
    _save(submission, actor=actor, data=data)
    _event(submission, EventKind.SAVED, actor)
    return submission


@transaction.atomic
def submission_refresh(*, actor: User, submission: Submission) -> Submission:
    """Compute the figures again as of the cut-off (data corrected since); overrides with a note stay."""
    submission = _locked(submission)
    _require_filer(actor, submission)
    _require_editable(submission)
    campaign = submission.campaign
    data = {
        "values": report_fields.recompute(
            campaign.template.fields, submission.values, submission.figures_target, campaign.cutoff_on
        ),
        "computed_at": timezone.now(),
    }
    _save(submission, actor=actor, data=data)
    _event(submission, EventKind.REFRESHED, actor)
    return submission


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    submission = _locked(submission)
    _require_filer(actor, submission)
    _require_editable(submission)
    if submission.computed_at is None:
        raise ValidationError(_("The figures of this report are still being computed. Try again in a minute."))
    missing = report_fields.missing_fields(submission.campaign.template.fields, submission.values)
    if missing:
        raise ValidationError(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
    was_returned = submission.state == SubmissionState.RETURNED
    now = timezone.now()
    data = {
        "state": SubmissionState.SUBMITTED,
        "submitted_at": now,
        "first_submitted_at": submission.first_submitted_at or now,
        "submitted_by": actor,
        "return_reason": "",
    }
    _save(submission, actor=actor, data=data)
    _event(submission, EventKind.SUBMITTED, actor, note=_("late") if submission.is_late else "")
    _tell_managers_of_submission(submission, was_returned=was_returned)
    return submission


def _tell_managers_of_submission(submission: Submission, *, was_returned: bool) -> None:
    """The campaign's managers hear of a report they sent back coming in again, and of the last report coming
    in; not of every report, which would flood a province officer with a hundred messages."""
    # Locked so that two last reports filed at once cannot each see the other still open and both stay silent.
    campaign = Campaign.objects.select_for_update().get(pk=submission.campaign_id)
    all_filed = not campaign.submissions.exclude(state__in=FILED_STATES).exists()
    messages = []
    with translation.override("vi"):
        if was_returned:
            messages.append(
                Message(
                    kind="reports.resubmitted",
                    title=_("Report sent again: %(title)s") % {"title": campaign.title},
                    body=str(submission.target),
                    url=f"/reports/submissions/{submission.pk}/",
                )
            )
        if all_filed:
            messages.append(
                Message(
                    kind="reports.all_filed",
                    title=_("Every report is in: %(title)s") % {"title": campaign.title},
                    body=(
                        _("%(count)s reports filed. The unit's own report can now be compiled.")
                        if campaign.unit_id
                        else _("%(count)s reports filed. The compiled table can now be sent.")
                    )
                    % {"count": campaign.submissions.count()},
                    url=f"/reports/campaigns/{campaign.pk}/",
                    dedupe_key=f"reports.all_filed:{campaign.pk}",
                )
            )
    managers = selectors.campaign_managers(campaign)
    for message in messages:
        notify(recipients=managers, message=message)


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, reason: str) -> Submission:
    """Send a submitted report back to its filers with the reason; it becomes editable again."""
    submission = _locked(submission)
    _require_reviewer(actor, submission)
    reason = (reason or "").strip()
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not reason:
        raise ValidationError({"reason": _("Say what to fix.")})
    _save(submission, actor=actor, data={"state": SubmissionState.RETURNED, "return_reason": reason}, reason=reason)
    _event(submission, EventKind.RETURNED, actor, note=reason)
    with translation.override("vi"):
        message = Message(
            kind="reports.returned",
            title=_("Report returned: %(title)s") % {"title": submission.campaign.title},
            body=reason,
            url=f"/reports/submissions/{submission.pk}/",
        )
    notify(recipients=selectors.filers_to_remind(submission), message=message)
    return submission


@transaction.atomic
def submission_accept(*, actor: User, submission: Submission) -> Submission:
    """Accept a submitted report: it is locked from now on."""
    submission = _locked(submission)
    _require_reviewer(actor, submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    _save(submission, actor=actor, data={"state": SubmissionState.ACCEPTED, "accepted_at": timezone.now()})
    _event(submission, EventKind.ACCEPTED, actor)
    return submission


@transaction.atomic
def submission_compile(*, actor: User, submission: Submission) -> Submission:
    """Fill a unit's report from its own campaign's filed reports (submitted or accepted), in one step.

    Counts and hand-filled numbers become the sums of the reports below (the sum is kept as the computed
    value, so a change needs a note); percentages follow from the summed parts; texts and choices stay the
    compiler's own. Reports not filed yet are left out and listed on the campaign's table.
    """
    submission = _locked(submission)
    _require_filer(actor, submission)
    _require_editable(submission)
    child = selectors.child_campaigns(submission).first()
    if child is None:
        raise ValidationError(_("Issue a campaign to the units below first: there is nothing to compile."))
    filed = list(child.submissions.filter(state__in=FILED_STATES).values_list("values", flat=True))
    expected = child.submissions.count()
    fields = submission.campaign.template.fields
    sums = report_fields.sum_values(fields, filed)
    values = dict(submission.values)
    for field in fields:
        if field["key"] in sums:
            total = sums[field["key"]]
            if field["kind"] == "number":
                values[field["key"]] = {"value": total}
            else:
                values[field["key"]] = {"value": total, "computed": total, "note": ""}
    note = _("%(filed)s of %(expected)s reports") % {"filed": len(filed), "expected": expected}
    _save(submission, actor=actor, data={"values": values, "compiled_at": timezone.now()}, reason=note)
    _event(submission, EventKind.COMPILED, actor, note=note)
    return submission


# Reminders


def reports_send_reminders(*, day: datetime.date | None = None) -> tuple[int, int]:
    """The daily reminders (idempotent; run once a day or more). Returns (reports reminded, digests sent).

    - From `remind_days_before` days before the deadline to the deadline itself: a reminder to the closest
      filers of every report not filed yet (selectors.filers_to_remind); each filer gets it once per report.
    - After the deadline: ONE digest per campaign, to the report managers of the issuing unit (or the nearest
      unit above with any), listing the units not filed; never a message a day.
    """
    day = day or timezone.localdate()
    reminded = digests = 0
    open_campaigns = Campaign.objects.filter(deadline__gte=day)
    for campaign in open_campaigns:
        if (campaign.deadline - day).days > campaign.remind_days_before:
            continue
        for submission in campaign.submissions.exclude(state__in=FILED_STATES).select_related(
            "target_unit", "target_area", "target_organisation"
        ):
            recipients = selectors.filers_to_remind(submission)
            if not recipients:
                continue
            with translation.override("vi"):
                message = Message(
                    kind="reports.reminder",
                    title=_("Report due %(deadline)s: %(title)s")
                    % {"deadline": campaign.deadline.strftime("%d/%m/%Y"), "title": campaign.title},
                    body=_("%(target)s has not submitted this report yet.") % {"target": submission.target},
                    url=f"/reports/submissions/{submission.pk}/",
                    dedupe_key=f"reports.reminder:{submission.pk}",
                )
            notify(recipients=recipients, message=message)
            reminded += 1
    recent = day - datetime.timedelta(days=60)
    for campaign in Campaign.objects.filter(deadline__lt=day, deadline__gte=recent).select_related("unit"):
        late = [
            str(s.target)
            for s in campaign.submissions.exclude(state__in=FILED_STATES).select_related(
                "target_unit", "target_area", "target_organisation"
            )
        ]
        if not late:
            continue
        managers = selectors.campaign_managers(campaign)
        with translation.override("vi"):
            message = Message(
                kind="reports.late_digest",
                title=_("%(count)s reports late: %(title)s") % {"count": len(late), "title": campaign.title},
                body=", ".join(late),
                url=f"/reports/campaigns/{campaign.pk}/",
                dedupe_key=f"reports.late_digest:{campaign.pk}",
            )
        notify(recipients=managers, message=message)
        digests += 1
    return reminded, digests
