"""Rating pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import add_service_errors, form_service, key_from

from . import exporting, selectors, services
from .choices import Stage
from .forms import CampaignForm, DecisionForm, ProposalForm, SelfReviewForm

PAGE_SIZE = 30


@login_required
def index(request):
    """The member's own ratings, and for officers the campaigns they see."""
    return render(
        request,
        "rating/index.html",
        {
            "own": selectors.own_ratings(user=request.user),
            "campaigns": selectors.campaigns_visible_to(request.user)[:50],
            "can_issue": selectors.issuing_units(actor=request.user).exists(),
        },
    )


@login_required
def issue(request):
    units = selectors.issuing_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, units=units, initial={"year": today.year})
    if done := form_service(
        request,
        form,
        lambda data: services.rating_campaign_issue(actor=request.user, **data),
        success=lambda campaign: _("The rating of %(year)s is issued to the cells.") % {"year": campaign.year},
        to=lambda campaign: reverse("rating:campaign", args=[campaign.pk]),
    ):
        return done
    return render(request, "rating/issue.html", {"form": form})


@login_required
def campaign(request, pk: int):
    """The campaign's figures for a unit and its children (drill-down), the quota, and the members' rows."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    unit = selectors.campaign_unit_get(actor=request.user, campaign=campaign, code=request.GET.get("unit", ""))
    total, children = selectors.results(actor=request.user, campaign=campaign, unit=unit)
    rows = selectors.ratings_in(actor=request.user, campaign=campaign, unit=unit)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rating/campaign.html",
        {
            "campaign": campaign,
            "unit": unit,
            "total": total,
            "children": children,
            "quota": selectors.quota_status(campaign=campaign),
            "page": page,
            "stage": stage,
            "stages": Stage.choices,
        },
    )


@login_required
def campaign_export(request, pk: int, kind: str):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    unit = selectors.campaign_unit_get(actor=request.user, campaign=campaign, code=request.GET.get("unit", ""))
    total, _children = selectors.results(actor=request.user, campaign=campaign, unit=unit)
    rows = list(selectors.ratings_in(actor=request.user, campaign=campaign, unit=unit))
    build, content_type = {
        "xlsx": (exporting.results_xlsx, exporting.XLSX_TYPE),
        "docx": (exporting.results_docx, exporting.DOCX_TYPE),
    }[kind]
    content = build(campaign=campaign, unit=unit, rows=rows, total=total, day=timezone.localdate())
    services.results_export_log(actor=request.user, campaign=campaign, unit=unit, rows=len(rows), kind=kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{campaign.year}-{unit.code}.{kind}"'
    return response


@login_required
def rating(request, pk: int):
    """One member's rating: the self-review and, for those whose job it is, the cell's and the committee's forms."""
    rating = selectors.rating_get(actor=request.user, pk=pk)
    return render(request, "rating/rating.html", _rating_context(request, rating))


def _rating_context(request, rating, **forms) -> dict:
    is_own = selectors.is_own(user=request.user, rating=rating)
    can_propose = selectors.can_propose(user=request.user, unit=rating.unit)
    can_decide = selectors.can_decide(user=request.user, campaign=rating.campaign)
    context = {"rating": rating, "is_own": is_own, "can_propose": can_propose, "can_decide": can_decide}
    if (is_own or can_propose) and rating.stage in (Stage.WAITING, Stage.SELF_REVIEWED):
        context["self_form"] = forms.get("self_form") or SelfReviewForm(
            initial={
                "strengths": rating.strengths,
                "shortcomings": rating.shortcomings,
                "remedies": rating.remedies,
                "points": rating.points,
                "self_grade": rating.self_grade,
            }
        )
    if can_propose and rating.stage in (Stage.SELF_REVIEWED, Stage.CELL_PROPOSED):
        context["proposal_form"] = forms.get("proposal_form") or ProposalForm(
            votes=selectors.proposal_votes(rating=rating), initial={"grade": rating.cell_grade or rating.self_grade}
        )
    if can_decide and rating.stage in (Stage.CELL_PROPOSED, Stage.DECIDED):
        context["decision_form"] = forms.get("decision_form") or DecisionForm(
            initial={"grade": rating.grade or rating.cell_grade, "note": rating.decision_note}
        )
        context["quota"] = selectors.quota_status(campaign=rating.campaign)
    return context


def _rating_step(request, rating, *, form, form_name: str, service, success: str):
    """A form of the rating page handed to its service; refused, the page again with the form's errors."""
    if done := form_service(
        request,
        form,
        lambda data: service(actor=request.user, rating=rating, **data),
        success=success,
        to="rating:rating",
        pk=rating.pk,
    ):
        return done
    return render(request, "rating/rating.html", _rating_context(request, rating, **{form_name: form}), status=400)


@login_required
@require_POST
def self_review(request):
    """The member's own review, or their paper form recorded by the cell's secretary (the rating is named in the
    form; the service says who may file it)."""
    rating = selectors.rating_get(actor=request.user, pk=key_from(request.POST.get("rating", "")))
    return _rating_step(
        request,
        rating,
        form=SelfReviewForm(request.POST),
        form_name="self_form",
        service=services.self_review_file,
        success=_("Your self-review is filed. The cell will discuss it at its meeting."),
    )


@login_required
@require_POST
def propose(request, pk: int):
    rating = selectors.rating_get(actor=request.user, pk=pk)
    return _rating_step(
        request,
        rating,
        form=ProposalForm(request.POST, votes=selectors.proposal_votes(rating=rating)),
        form_name="proposal_form",
        service=services.cell_grade_record,
        success=_("The cell's proposal is recorded."),
    )


@login_required
@require_POST
def decide(request, pk: int):
    rating = selectors.rating_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.rating_decide(actor=request.user, rating=rating, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The grade is decided."))
            quota = selectors.quota_status(campaign=rating.campaign)
            if quota.is_exceeded:
                messages.warning(
                    request,
                    _(
                        "%(excellent)s members are rated “excellent”: the quota of %(percent)s%% of those rated “good”"
                        " or better allows %(allowed)s."
                    )
                    % {"excellent": quota.excellent, "percent": quota.quota_percent, "allowed": quota.allowed},
                )
            return redirect("rating:rating", pk=rating.pk)
    return render(request, "rating/rating.html", _rating_context(request, rating, decision_form=form), status=400)
