"""Reports over the API: the same selectors and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, page_of

from . import exporting, selectors, services
from . import fields as report_fields
from .choices import FieldKind, SubmissionState, TargetTree

router = Router(tags=["reports"])


class FieldIn(Schema):
    key: TextIn
    kind: FieldKind
    label: TextIn = ""
    options: list[TextIn] = []


class FieldOut(FieldIn):
    display_label: str

    @staticmethod
    def resolve_display_label(field) -> str:
        return report_fields.field_label(field)


class TemplateOut(Schema):
    id: int
    unit_code: str = Field(alias="unit.code")
    code: str
    version: int
    title: str
    fields: list[FieldOut]
    body: str
    place: str
    recipients: str
    signer_title: str
    created_at: datetime.datetime


class TemplatePage(Schema):
    count: int
    items: list[TemplateOut]


class TemplateIn(Schema):
    unit_code: TextIn
    code: TextIn
    title: TextIn
    fields: list[FieldIn]
    body: TextIn = ""
    place: TextIn = ""
    recipients: TextIn = ""
    signer_title: TextIn = ""


@router.get(
    "/templates", response={200: TemplatePage, **LIST_ERRORS}, summary="Report templates I may use (latest versions)"
)
def template_list_view(request, page: Query[PageIn]):
    templates = selectors.latest_versions(selectors.templates_visible_to(request.auth)).select_related("unit")
    count, items = page_of(templates.order_by("title", "id"), page)
    return {"count": count, "items": items}


@router.get("/templates/{template_id}", response={200: TemplateOut, **READ_ERRORS}, summary="Read one template version")
def template_detail_view(request, template_id: Int64):
    return selectors.template_get(actor=request.auth, pk=template_id)


@router.post("/templates", response={201: TemplateOut, **WRITE_ERRORS}, summary="Create a template (version 1)")
def template_create_view(request, payload: TemplateIn):
    unit = get_object_or_404(selectors.units_issuing_for(request.auth), code=payload.unit_code)
    data = payload.dict()
    template = services.template_create(
        actor=request.auth,
        unit=unit,
        code=data["code"],
        title=data["title"],
        fields=data["fields"],
        **{name: data[name] for name in services.LAYOUT_FIELDS},
    )
    return Status(201, template)


class CampaignOut(Schema):
    id: int
    unit_code: str | None = Field(description="The issuing party unit; empty for a People's Committee's campaign.")
    organisation_code: str | None = Field(description="The issuing People's Committee, when it is one.")
    template_id: int
    parent_id: int | None
    title: str
    target_tree: TargetTree
    target_kind: str
    period_start: datetime.date
    period_end: datetime.date
    cutoff_on: datetime.date
    deadline: datetime.date
    remind_days_before: int

    @staticmethod
    def resolve_unit_code(campaign) -> str | None:
        return campaign.unit.code if campaign.unit_id else None

    @staticmethod
    def resolve_organisation_code(campaign) -> str | None:
        return campaign.organisation.code if campaign.organisation_id else None


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


class CampaignIn(Schema):
    unit_code: TextIn = Field("", description="The issuing party unit (or give organisation_code).")
    organisation_code: TextIn = Field("", description="The issuing People's Committee (or give unit_code).")
    template_id: Int64
    title: TextIn = ""
    target_tree: TargetTree
    target_kind: TextIn = Field(
        description="A unit kind (e.g. attached_cell), or village, residential_group or village_or_group (both); "
        "for target_tree 'places', kinds joined by commas among village, residential_group, agency, school, "
        "enterprise, mass_organisation."
    )
    period_start: datetime.date
    period_end: datetime.date
    cutoff_on: datetime.date
    deadline: datetime.date
    remind_days_before: Int64 = Field(3, ge=0, le=60)
    parent_id: Int64 | None = Field(
        None, description="The campaign of the level above this unit compiles its report for."
    )


class CellOut(Schema):
    key: str
    kind: str
    label: str
    value: Any
    computed: Any = None
    note: str = ""
    is_ratio: bool = False


class SubmissionSummary(Schema):
    id: int
    target_code: str
    target_name: str
    state: SubmissionState
    submitted_at: datetime.datetime | None
    first_submitted_at: datetime.datetime | None
    is_late: bool
    cells: list[CellOut]


class TimelinessOut(Schema):
    label: str
    level: str
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    completeness: float | None
    timeliness: float | None


class CampaignTableOut(Schema):
    campaign: CampaignOut
    submissions: list[SubmissionSummary]
    total: list[CellOut]
    missing: list[str]


class TimelinessTreeOut(Schema):
    per_unit: list[TimelinessOut]
    per_level: list[TimelinessOut]


def _summary(submission) -> dict:
    return {
        "id": submission.pk,
        "target_code": submission.target.code,
        "target_name": submission.target.name,
        "state": submission.state,
        "submitted_at": submission.submitted_at,
        "first_submitted_at": submission.first_submitted_at,
        "is_late": submission.is_late,
        "cells": report_fields.cells(submission.campaign.template.fields, submission.values),
    }


@router.get("/campaigns", response={200: CampaignPage, **LIST_ERRORS}, summary="Campaigns issued by units I manage")
def campaign_list_view(request, page: Query[PageIn]):
    campaigns = (
        selectors.campaigns_visible_to(request.auth).select_related("unit", "organisation").order_by("-deadline", "-id")
    )
    count, items = page_of(campaigns, page)
    return {"count": count, "items": items}


@router.post("/campaigns", response={201: CampaignOut, **WRITE_ERRORS}, summary="Issue a campaign")
def campaign_issue_view(request, payload: CampaignIn):
    """Creates one draft report per target, pre-filled with the figures as of the cut-off."""
    if bool(payload.unit_code) == bool(payload.organisation_code):
        raise ValidationError({"unit_code": _("Give either the issuing unit or the People's Committee.")})
    unit = organisation = None
    if payload.unit_code:
        unit = get_object_or_404(selectors.units_issuing_for(request.auth), code=payload.unit_code)
    else:
        organisation = get_object_or_404(
            selectors.organisations_issuing_for(request.auth), code=payload.organisation_code
        )
    template = selectors.template_get(actor=request.auth, pk=payload.template_id)
    parent = None
    if payload.parent_id is not None:
        parent = get_object_or_404(
            selectors.submissions_visible_to(request.auth), campaign_id=payload.parent_id, target_unit=unit
        ).campaign
    data = payload.dict(exclude={"unit_code", "organisation_code", "template_id", "parent_id"})
    campaign = services.campaign_issue(
        actor=request.auth, unit=unit, organisation=organisation, template=template, parent=parent, **data
    )
    return Status(201, campaign)


@router.get("/campaigns/{campaign_id}", response={200: CampaignTableOut, **READ_ERRORS}, summary="A campaign's table")
def campaign_detail_view(request, campaign_id: Int64):
    """Every target's report with its figures, the totals of the filed ones, and the targets not filed yet."""
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    _fields, submissions, total = exporting.campaign_table(campaign)
    return {
        "campaign": campaign,
        "submissions": [_summary(submission) for submission in submissions],
        "total": total,
        "missing": [submission.target.code for submission in submissions if not submission.is_filed],
    }


@router.get(
    "/campaigns/{campaign_id}/timeliness",
    response={200: TimelinessTreeOut, **READ_ERRORS},
    summary="Expected, submitted, on time, late, missing: per issuing unit and per level",
)
def campaign_timeliness_view(request, campaign_id: Int64):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    per_unit, per_level = selectors.timeliness_tree(campaign)
    return {"per_unit": per_unit, "per_level": per_level}


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    note: str


class SubmissionOut(SubmissionSummary):
    campaign_id: int
    version: int
    return_reason: str
    number_symbol: str
    place: str
    signer_name: str
    can_file: bool
    can_review: bool
    events: list[EventOut]


class SubmissionIn(Schema):
    values: dict[str, Any] = Field(
        default_factory=dict,
        description="Entries by field key; a computed figure changed needs `<key>_note` beside it.",
    )
    number_symbol: TextIn | None = None
    place: TextIn | None = None
    signer_name: TextIn | None = None
    version: Int64 | None = Field(
        None, description="The version read: a save over someone else's newer save is refused."
    )


class ReturnIn(Schema):
    reason: TextIn


def _submission_out(request, submission) -> dict:
    return {
        **_summary(submission),
        "campaign_id": submission.campaign_id,
        "version": submission.version,
        "return_reason": submission.return_reason,
        "number_symbol": submission.number_symbol,
        "place": submission.place,
        "signer_name": submission.signer_name,
        "can_file": selectors.can_file(request.auth, submission),
        "can_review": selectors.can_review(request.auth, submission),
        "events": list(submission.events.all()),
    }


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **READ_ERRORS}, summary="Read a report")
def submission_detail_view(request, submission_id: Int64):
    return _submission_out(request, selectors.submission_get(actor=request.auth, pk=submission_id))


@router.put(
    "/submissions/{submission_id}", response={200: SubmissionOut, **WRITE_ERRORS}, summary="Save a report's draft"
)
def submission_save_view(request, submission_id: Int64, payload: SubmissionIn):
    submission = selectors.submission_get(actor=request.auth, pk=submission_id)
    submission = services.submission_save(
        actor=request.auth,
        submission=submission,
        values=payload.values,
        number_symbol=payload.number_symbol,
        place=payload.place,
        signer_name=payload.signer_name,
        expected_version=payload.version,
    )
    return _submission_out(request, submission)


def _step(request, submission_id: int, service, **arguments):
    submission = selectors.submission_get(actor=request.auth, pk=submission_id)
    return _submission_out(request, service(actor=request.auth, submission=submission, **arguments))


@router.post(
    "/submissions/{submission_id}/submit", response={200: SubmissionOut, **WRITE_ERRORS}, summary="Submit a report"
)
def submission_submit_view(request, submission_id: Int64):
    return _step(request, submission_id, services.submission_submit)


@router.post(
    "/submissions/{submission_id}/return", response={200: SubmissionOut, **WRITE_ERRORS}, summary="Return a report"
)
def submission_return_view(request, submission_id: Int64, payload: ReturnIn):
    return _step(request, submission_id, services.submission_return, reason=payload.reason)


@router.post(
    "/submissions/{submission_id}/accept",
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Accept (lock) a report",
)
def submission_accept_view(request, submission_id: Int64):
    return _step(request, submission_id, services.submission_accept)


@router.post(
    "/submissions/{submission_id}/compile",
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Fill a unit's report from the reports of the units below",
)
def submission_compile_view(request, submission_id: Int64):
    return _step(request, submission_id, services.submission_compile)
