"""Reports pages: thin wrappers over the selectors and services (the API calls the same ones)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import add_service_errors, form_service, service_action

from . import exporting, selectors, services
from . import fields as report_fields
from .choices import EDITABLE_STATES, FieldKind, SubmissionState
from .forms import (
    CampaignForm,
    PlacesCampaignForm,
    ReturnForm,
    SubmissionForm,
    TemplateForm,
    manual_fields_text,
    preset_initial,
)
from .presets import PRESETS

PAGE_SIZE = 30


@login_required
def home(request):
    """What the user has to file, and the campaigns they manage."""
    to_file = selectors.submissions_to_file(actor=request.user)
    campaigns = (
        selectors.campaigns_visible_to(request.user).select_related("unit", "organisation").order_by("-deadline", "-id")
    )
    context = {
        "to_file": Paginator(to_file, PAGE_SIZE).get_page(request.GET.get("page")),
        "campaigns": Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("campaigns_page")),
        "can_issue": selectors.units_issuing_for(request.user).exists(),
        "can_issue_to_places": selectors.may_issue(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "reports/home.html", context)


# Templates


@login_required
def template_list(request):
    templates = selectors.latest_versions(selectors.templates_visible_to(request.user)).select_related("unit")
    page = Paginator(templates.order_by("title", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = selectors.units_issuing_for(request.user).exists()
    return render(
        request, "reports/template_list.html", {"page": page, "can_create": can_create, "presets": PRESETS.items()}
    )


@login_required
def template_create(request):
    units = selectors.units_issuing_for(request.user)
    if not units.exists():
        raise PermissionDenied
    preset = PRESETS.get(request.GET.get("preset", ""))
    initial = preset_initial(preset, unit=units.order_by("depth", "path").first()) if preset else None
    form = TemplateForm(request.POST or None, units=units, initial=initial)
    if done := form_service(
        request,
        form,
        lambda data: services.template_create(
            actor=request.user,
            unit=data["unit"],
            code=data["code"],
            title=data["title"],
            fields=form.template_fields(),
            **form.layout(),
        ),
        success=_("Template saved."),
        to=lambda template: reverse("reports:template", args=[template.pk]),
    ):
        return done
    return render(request, "reports/template_form.html", {"form": form, "preset": preset})


@login_required
def template_detail(request, pk: int):
    template = selectors.template_get(actor=request.user, pk=pk)
    context = {
        "template": template,
        "rows": [
            (field, report_fields.field_label(field), FieldKind(field["kind"]).label) for field in template.fields
        ],
        "versions": selectors.template_versions(template),
        "can_revise": selectors.units_issuing_for(request.user).filter(pk=template.unit_id).exists(),
    }
    return render(request, "reports/template_detail.html", context)


@login_required
def template_revise(request, pk: int):
    template = selectors.template_get(actor=request.user, pk=pk)
    initial = {
        "title": template.title,
        "indicators": [field["key"] for field in template.fields if field["kind"] == "indicator"],
        "manual_fields": manual_fields_text(template.fields),
        **{name: getattr(template, name) for name in services.LAYOUT_FIELDS},
    }
    form = TemplateForm(request.POST or None, initial=initial, revising=True)
    if done := form_service(
        request,
        form,
        lambda data: services.template_revise(
            actor=request.user, template=template, title=data["title"], fields=form.template_fields(), **form.layout()
        ),
        success=lambda revised: _("Version %(n)s saved.") % {"n": revised.version},
        to=lambda revised: reverse("reports:template", args=[revised.pk]),
    ):
        return done
    return render(request, "reports/template_form.html", {"form": form, "template": template})


# Campaigns


@login_required
def campaign_create(request):
    """Issue a campaign. With ?parent=<campaign>, the unit's own campaign to compile its report to that one."""
    units = selectors.units_issuing_for(request.user)
    if not units.exists():
        raise PermissionDenied
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id and str(parent_id).isdigit():
        parent_submission = get_object_or_404(
            selectors.submissions_visible_to(request.user).filter(target_unit__in=units), campaign_id=parent_id
        )
        parent = parent_submission.campaign
        units = units.filter(pk=parent_submission.target_unit_id)
    templates = selectors.latest_versions(selectors.templates_visible_to(request.user)).order_by("title")
    initial = {}
    if parent is not None:
        initial = {
            "unit": units.first(),
            "template": parent.template,
            "title": parent.title,
            "period_start": parent.period_start,
            "period_end": parent.period_end,
            "cutoff_on": parent.cutoff_on,
            "deadline": max(parent.deadline - datetime.timedelta(days=3), parent.cutoff_on),
        }
        templates = templates | selectors.templates_visible_to(request.user).filter(pk=parent.template_id)
    form = CampaignForm(request.POST or None, units=units, templates=templates, initial=initial)
    if done := _campaign_issue(request, form, parent=parent):
        return done
    return render(request, "reports/campaign_form.html", {"form": form, "parent": parent})


def _campaign_issue(request, form, **parent):
    return form_service(
        request,
        form,
        lambda data: services.campaign_issue(actor=request.user, **parent, **form.service_arguments()),
        success=lambda campaign: (
            _("Campaign issued: %(count)s reports expected.") % {"count": campaign.submissions.count()}
        ),
        to=lambda campaign: reverse("reports:campaign", args=[campaign.pk]),
    )


@login_required
def campaign_create_places(request):
    """Issue a campaign to a mix of villages, residential groups and organisations: from a People's Committee the
    user follows, or from a party unit serving an area."""
    units = selectors.units_issuing_for(request.user).filter(area__isnull=False)
    organisations = selectors.organisations_issuing_for(request.user)
    if not units.exists() and not organisations.exists():
        raise PermissionDenied
    templates = selectors.latest_versions(selectors.templates_visible_to(request.user)).order_by("title")
    form = PlacesCampaignForm(request.POST or None, units=units, organisations=organisations, templates=templates)
    if done := _campaign_issue(request, form):
        return done
    return render(request, "reports/campaign_form.html", {"form": form, "to_places": True})


@login_required
def campaign_detail(request, pk: int):
    """The parent's table: every target's report with its figures, the totals of those filed, the missing ones."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    fields, submissions, total = exporting.campaign_table(campaign)
    rows = [(submission, report_fields.cells(fields, submission.values)) for submission in submissions]
    per_unit, per_level = selectors.timeliness_tree(campaign)
    context = {
        "campaign": campaign,
        "labels": [report_fields.field_label(field) for field in fields],
        "target_heading": selectors.target_heading(campaign),
        "rows": rows,
        "total": total,
        "missing": [submission for submission in submissions if not submission.is_filed],
        "per_unit": per_unit,
        "per_level": per_level,
        "own_submission": campaign.parent.submissions.filter(target_unit=campaign.unit).first()
        if campaign.parent
        else None,
    }
    return render(request, "reports/campaign_detail.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def campaign_xlsx(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    return _download(exporting.campaign_xlsx(campaign), exporting.XLSX_TYPE, f"campaign-{campaign.pk}.xlsx")


@login_required
def campaign_docx(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    return _download(exporting.campaign_docx(campaign), exporting.DOCX_TYPE, f"campaign-{campaign.pk}.docx")


# Reports


def _submission_context(request, submission, *, form=None, return_form=None) -> dict:
    can_file = selectors.can_file(request.user, submission)
    can_review = selectors.can_review(request.user, submission)
    editable = can_file and submission.state in EDITABLE_STATES
    children = selectors.child_campaigns(submission)
    return {
        "submission": submission,
        "campaign": submission.campaign,
        "cells": report_fields.cells(submission.campaign.template.fields, submission.values),
        "form": form or (SubmissionForm(submission=submission) if editable else None),
        "return_form": return_form or ReturnForm(),
        "can_file": can_file,
        "can_review": can_review and submission.state == SubmissionState.SUBMITTED,
        "editable": editable,
        "child_campaign": children.first(),
        "can_issue_below": editable
        and submission.target_unit_id is not None
        and not children.exists()
        and selectors.units_issuing_for(request.user).filter(pk=submission.target_unit_id).exists(),
        "events": submission.events.select_related("actor"),
    }


@login_required
def submission_detail(request, pk: int):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    return render(request, "reports/submission_detail.html", _submission_context(request, submission))


@login_required
@require_POST
def submission_save(request, pk: int):
    """Save the draft, or save and submit (the button pressed: action=submit)."""
    submission = selectors.submission_get(actor=request.user, pk=pk)
    if not selectors.can_file(request.user, submission):
        raise PermissionDenied
    form = SubmissionForm(request.POST, submission=submission)
    if form.is_valid():
        try:
            submission = services.submission_save(
                actor=request.user,
                submission=submission,
                values=form.values(),
                number_symbol=form.cleaned_data["number_symbol"],
                place=form.cleaned_data["place"],
                signer_name=form.cleaned_data["signer_name"],
            )
            if request.POST.get("action") == "submit":
                submission = services.submission_submit(actor=request.user, submission=submission)
                messages.success(request, _("Report submitted."))
            else:
                messages.success(request, _("Draft saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reports:submission", pk=submission.pk)
    context = _submission_context(request, submission, form=form)
    return render(request, "reports/submission_detail.html", context, status=200)


def _action(request, pk: int, perform, success: str):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    return service_action(
        request, lambda: perform(submission), success=success, to="reports:submission", pk=submission.pk
    )


@login_required
@require_POST
def submission_accept(request, pk: int):
    return _action(
        request, pk, lambda s: services.submission_accept(actor=request.user, submission=s), _("Report accepted.")
    )


@login_required
@require_POST
def submission_return(request, pk: int):
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _action(
        request,
        pk,
        lambda s: services.submission_return(actor=request.user, submission=s, reason=reason),
        _("Report returned."),
    )


@login_required
@require_POST
def submission_compile(request, pk: int):
    return _action(
        request,
        pk,
        lambda s: services.submission_compile(actor=request.user, submission=s),
        _("Compiled from the reports of the units below."),
    )


@login_required
@require_POST
def submission_refresh(request, pk: int):
    return _action(
        request,
        pk,
        lambda s: services.submission_refresh(actor=request.user, submission=s),
        _("Figures computed again."),
    )


@login_required
def submission_xlsx(request, pk: int):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    return _download(exporting.submission_xlsx(submission), exporting.XLSX_TYPE, f"report-{submission.pk}.xlsx")


@login_required
def submission_docx(request, pk: int):
    submission = selectors.submission_get(actor=request.user, pk=pk)
    return _download(exporting.submission_docx(submission), exporting.DOCX_TYPE, f"report-{submission.pk}.docx")


@login_required
def submission_print(request, pk: int):
    """The report in the official layout, to print (or save as PDF) from the browser."""
    submission = selectors.submission_get(actor=request.user, pk=pk)
    context = {
        "submission": submission,
        "campaign": submission.campaign,
        "template": submission.campaign.template,
        "cells": report_fields.cells(submission.campaign.template.fields, submission.values),
        "upper_body": exporting.parent_name(submission.target),
        "national_heading": exporting.NATIONAL_HEADING,
        "date_line": exporting.vietnamese_date_line(
            submission.place or submission.campaign.template.place, exporting.document_day(submission)
        ),
        "recipients": [line.strip() for line in submission.campaign.template.recipients.splitlines() if line.strip()],
        "signer": exporting.signer_lines(submission.target, submission.campaign.template.signer_title),
    }
    return render(request, "reports/submission_print.html", context)
