"""The rating pages and API operations, for the permission matrix (common/tests/matrix.py)."""

from accounts.choices import RoleKind
from common.tests.matrix import READ, WRITE, api, page
from rating.choices import Grade
from rating.models import MemberRating

from .factories import REVIEW, issue

DECIDER = {"ancestor_role": RoleKind.COMMITTEE_OFFICER}


def with_campaign(tree) -> dict:
    campaign = issue(tree)
    return {"campaign": campaign, "rating": MemberRating.objects.get(campaign=campaign, member=tree.member_a1)}


def with_review(tree) -> dict:
    from rating.services import self_review_file

    prepared = with_campaign(tree)
    prepared["rating"] = self_review_file(
        actor=tree.users["member_a1"], rating=prepared["rating"], points=80, self_grade=Grade.GOOD, **REVIEW
    )
    return prepared


def with_proposal(tree) -> dict:
    from rating.services import cell_grade_record

    prepared = with_review(tree)
    prepared["rating"] = cell_grade_record(
        actor=tree.users["secretary_a1"], rating=prepared["rating"], grade=Grade.GOOD, votes_for=4, voters=5
    )
    return prepared


def issue_form(ctx) -> dict:
    return {
        "unit": ctx.commune_a.code,
        "year": "2027",
        "self_review_due": "2027-12-10",
        "decision_due": "2027-12-20",
        "excellent_quota_percent": "20",
    }


def campaign_url(suffix: str = ""):
    return lambda ctx: f"/rating/campaigns/{ctx.campaign.pk}/{suffix}"


ENDPOINTS = [
    page("rating:campaign", READ, "get", campaign_url(), prepare=with_campaign),
    page("rating:campaign_xlsx", READ, "get", campaign_url("export.xlsx"), prepare=with_campaign),
    page("rating:campaign_docx", READ, "get", campaign_url("export.docx"), prepare=with_campaign),
    page("rating:rating", READ, "get", lambda ctx: f"/rating/{ctx.rating.pk}/", prepare=with_campaign),
    page(
        "rating:issue", WRITE, "post", lambda ctx: "/rating/issue/", issue_form, hidden_text="Đảng bộ xã A", **DECIDER
    ),
    page(
        "rating:propose",
        WRITE,
        "post",
        lambda ctx: f"/rating/{ctx.rating.pk}/propose/",
        lambda ctx: {"grade": Grade.GOOD, "votes_for": "4", "voters": "5"},
        prepare=with_review,
        **DECIDER,
    ),
    page(
        "rating:decide",
        WRITE,
        "post",
        lambda ctx: f"/rating/{ctx.rating.pk}/decide/",
        lambda ctx: {"grade": Grade.GOOD, "note": ""},
        prepare=with_proposal,
        **DECIDER,
    ),
    api(
        "get",
        "/rating/campaigns/{campaign_id}/results",
        READ,
        lambda ctx: f"/api/rating/campaigns/{ctx.campaign.pk}/results",
        prepare=with_campaign,
    ),
]
# The member's own ratings and self-review: whose they are is checked by the selectors (tests/test_views.py).
SIGNED_IN_ONLY = ["rating:index", "rating:self_review", "get /api/rating/mine", "post /api/rating/self-review"]
