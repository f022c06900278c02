import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import ChangeLog
from meetings.models import Vote
from meetings.tests.factories import make_meeting
from members.choices import MemberStatus
from members.tests.factories import make_member
from rating import selectors, services
from rating.choices import Grade, Stage
from rating.indicators import _decided, _excluded
from rating.models import MemberRating
from rating.rules import BANDS, excellent_allowed

from .factories import REVIEW, issue

pytestmark = pytest.mark.django_db


def row(campaign, member) -> MemberRating:
    return MemberRating.objects.get(campaign=campaign, member=member)


def file_review(tree, rating, *, points=92, grade=Grade.EXCELLENT, user="member_a1"):
    return services.self_review_file(actor=tree.users[user], rating=rating, points=points, self_grade=grade, **REVIEW)


def test_the_point_bands_of_366():
    assert [BANDS.best_grade_for(points) for points in (100, 90, 89, 70, 69, 50, 49, 0)] == [
        Grade.EXCELLENT,
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.GOOD,
        Grade.COMPLETED,
        Grade.COMPLETED,
        Grade.NOT_COMPLETED,
        Grade.NOT_COMPLETED,
    ]
    assert excellent_allowed(excellent=3, good=12, quota_percent=20) == 3
    assert excellent_allowed(excellent=3, good=11, quota_percent=20) == 2


def test_issuing_gives_every_current_member_of_the_cells_a_row_and_does_not_rate_exempt_members(tree):
    exempt = make_member(unit=tree.cell_a1, full_name="Phạm Văn Miễn", status=MemberStatus.EXEMPT)
    left = make_member(
        unit=tree.cell_a2,
        full_name="Hoàng Văn Đi",
        status=MemberStatus.LEFT,
        left_on="2020-01-01",
        leaving_form="resigned",
    )

    campaign = issue(tree)

    rows = {rating.member_id: rating for rating in MemberRating.objects.filter(campaign=campaign)}
    assert set(rows) == {tree.member_a1.pk, tree.member_a2.pk, exempt.pk}
    assert left.pk not in rows and tree.member_b1.pk not in rows
    assert rows[exempt.pk].stage == Stage.EXCLUDED and rows[exempt.pk].excluded_reason
    assert rows[tree.member_a1.pk].stage == Stage.WAITING and rows[tree.member_a1.pk].unit == tree.cell_a1
    assert ChangeLog.objects.filter(object_type__model="memberrating").count() == 3


@pytest.mark.parametrize("user", ["secretary_a1", "officer_b", "member_a1"])
def test_only_a_committee_of_the_unit_issues_the_rating(tree, user):
    with pytest.raises(PermissionDenied):
        services.rating_campaign_issue(
            actor=tree.users[user],
            unit=tree.commune_a,
            year=2026,
            self_review_due=tree.commune_a.opened_on,
            decision_due=tree.commune_a.opened_on,
            excellent_quota_percent=20,
        )


def test_a_committee_issues_the_rating_of_a_year_once(tree):
    issue(tree)
    with pytest.raises(ValidationError):
        issue(tree)


def test_the_member_files_their_own_self_review_within_what_the_points_allow(tree):
    campaign = issue(tree)
    rating = row(campaign, tree.member_a1)

    with pytest.raises(ValidationError) as error:
        file_review(tree, rating, points=85, grade=Grade.EXCELLENT)
    assert "self_grade" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        file_review(tree, rating, user="officer_b")

    rating = file_review(tree, rating, points=85, grade=Grade.GOOD)
    assert (rating.stage, rating.points, rating.self_grade) == (Stage.SELF_REVIEWED, 85, Grade.GOOD)


def test_the_secretary_records_the_paper_self_review_of_a_member_without_the_app(tree):
    campaign = issue(tree)
    rating = file_review(tree, row(campaign, tree.member_a1), points=75, grade=Grade.GOOD, user="secretary_a1")
    assert rating.stage == Stage.SELF_REVIEWED
    with pytest.raises(PermissionDenied):  # a secretary of another cell
        file_review(tree, row(campaign, tree.member_a2), points=75, grade=Grade.GOOD, user="secretary_a1")


def test_an_exempt_member_cannot_be_reviewed(tree):
    exempt = make_member(unit=tree.cell_a1, full_name="Phạm Văn Miễn", status=MemberStatus.EXEMPT)
    campaign = issue(tree)
    with pytest.raises(ValidationError):
        services.cell_grade_record(
            actor=tree.users["secretary_a1"], rating=row(campaign, exempt), grade=Grade.GOOD, votes_for=5, voters=6
        )


def test_the_cell_proposes_with_a_majority_of_those_voting(tree):
    campaign = issue(tree)
    rating = row(campaign, tree.member_a1)
    secretary = tree.users["secretary_a1"]
    with pytest.raises(ValidationError):  # no self-review yet
        services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD, votes_for=5, voters=6)
    rating = file_review(tree, rating, points=92)

    with pytest.raises(ValidationError):
        services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD, votes_for=3, voters=6)
    with pytest.raises(ValidationError):
        services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD)
    with pytest.raises(PermissionDenied):
        services.cell_grade_record(
            actor=tree.users["member_a1"], rating=rating, grade=Grade.GOOD, votes_for=4, voters=6
        )

    rating = services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD, votes_for=4, voters=6)
    assert (rating.stage, rating.cell_grade, rating.cell_votes_for, rating.cell_voters) == (
        Stage.CELL_PROPOSED,
        Grade.GOOD,
        4,
        6,
    )
    with pytest.raises(ValidationError):  # the member can no longer change the review
        file_review(tree, rating, points=95)


def _vote(tree, unit, *, passed=True, closed=True):
    meeting = make_meeting(unit=unit)
    return Vote.objects.create(
        meeting=meeting,
        matter="Đề nghị mức xếp loại",
        opened_by=tree.users["secretary_a1"],
        closed_at=meeting.starts_at if closed else None,
        count_for=5 if passed else 1,
        count_against=1 if passed else 5,
        count_abstain=0,
        is_passed=passed if closed else None,
    )


def test_the_cells_proposal_cites_a_closed_passed_vote_of_its_own_meeting(tree):
    campaign = issue(tree)
    rating = file_review(tree, row(campaign, tree.member_a1), points=80, grade=Grade.GOOD)
    secretary = tree.users["secretary_a1"]
    for vote in (
        _vote(tree, tree.cell_a2),
        _vote(tree, tree.cell_a1, passed=False),
        _vote(tree, tree.cell_a1, closed=False),
    ):
        with pytest.raises(ValidationError):
            services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD, vote=vote)

    vote = _vote(tree, tree.cell_a1)
    rating = services.cell_grade_record(actor=secretary, rating=rating, grade=Grade.GOOD, vote=vote)
    assert (rating.cell_vote, rating.cell_votes_for, rating.cell_voters) == (vote, 5, 6)
    assert list(selectors.proposal_votes(rating=rating)) == [vote]


def _proposed(tree, campaign, member, grade, points=95):
    rating = row(campaign, member)
    user = tree.users["member_a1"] if member == tree.member_a1 else None
    if user is None:
        MemberRating.objects.filter(pk=rating.pk).update(stage=Stage.SELF_REVIEWED, points=points)
        rating.refresh_from_db()
    else:
        rating = file_review(tree, rating, points=points, grade=grade)
    return services.cell_grade_record(actor=tree.users["officer_a"], rating=rating, grade=grade, votes_for=4, voters=5)


def test_the_committee_decides_and_a_higher_grade_than_proposed_needs_a_reason(tree):
    campaign = issue(tree)
    rating = _proposed(tree, campaign, tree.member_a1, Grade.GOOD)
    officer = tree.users["officer_a"]
    with pytest.raises(PermissionDenied):
        services.rating_decide(actor=tree.users["secretary_a1"], rating=rating, grade=Grade.GOOD)
    with pytest.raises(PermissionDenied):
        services.rating_decide(actor=tree.users["officer_b"], rating=rating, grade=Grade.GOOD)
    with pytest.raises(ValidationError):
        services.rating_decide(actor=officer, rating=rating, grade=Grade.EXCELLENT)

    rating = services.rating_decide(actor=officer, rating=rating, grade=Grade.EXCELLENT, note="Thành tích nổi bật")
    assert (rating.stage, rating.grade, rating.decided_by) == (Stage.DECIDED, Grade.EXCELLENT, officer)
    assert ChangeLog.objects.filter(object_type__model="memberrating", object_id=rating.pk).count() == 4


def test_the_quota_warns_when_excellent_exceeds_its_share_of_good_or_better_and_ignores_exempt_members(tree):
    make_member(unit=tree.cell_a1, full_name="Phạm Văn Miễn", status=MemberStatus.EXEMPT)
    campaign = issue(tree)
    officer = tree.users["officer_a"]
    services.rating_decide(
        actor=officer, rating=_proposed(tree, campaign, tree.member_a1, Grade.EXCELLENT), grade=Grade.EXCELLENT
    )
    quota = selectors.quota_status(campaign=campaign)
    assert (quota.excellent, quota.good, quota.allowed, quota.is_exceeded) == (1, 0, 0, True)

    services.rating_decide(
        actor=officer, rating=_proposed(tree, campaign, tree.member_a2, Grade.GOOD), grade=Grade.GOOD
    )
    quota = selectors.quota_status(campaign=campaign)
    assert (quota.excellent, quota.good, quota.allowed, quota.is_exceeded) == (1, 1, 0, True)

    campaign.excellent_quota_percent = 50
    campaign.save()
    assert not selectors.quota_status(campaign=campaign).is_exceeded


def test_figures_per_unit_and_grade(tree):
    make_member(unit=tree.cell_a1, full_name="Phạm Văn Miễn", status=MemberStatus.EXEMPT)
    campaign = issue(tree)
    officer = tree.users["officer_a"]
    services.rating_decide(
        actor=officer, rating=_proposed(tree, campaign, tree.member_a2, Grade.GOOD), grade=Grade.GOOD
    )
    from common.tests.clock import TODAY

    total, children = selectors.results(actor=officer, campaign=campaign, unit=tree.commune_a)
    assert (total.rows, total.excluded, total.waiting, total.decided, total.by_grade) == (3, 1, 1, 1, {"good": 1})
    assert {child.unit.code: (child.rows, child.decided) for child in children} == {"XA-C1": (2, 0), "XA-C2": (1, 1)}
    assert _decided(Grade.GOOD)(tree.commune_a, TODAY) == 1
    assert _decided(Grade.GOOD)(tree.cell_a1, TODAY) == 0
    assert _decided(None)(tree.province, TODAY) == 1
    assert _excluded(tree.commune_a, TODAY) == 1
    assert _decided(None)(tree.area_a, TODAY) is None


def test_each_sees_only_their_part(tree):
    campaign = issue(tree)
    own = row(campaign, tree.member_a1)
    assert list(selectors.own_ratings(user=tree.users["member_a1"])) == [own]
    assert not selectors.campaigns_visible_to(tree.users["officer_b"]).exists()
    assert not selectors.campaigns_visible_to(tree.users["no_role"]).exists()
    assert list(selectors.ratings_in(actor=tree.users["secretary_a1"], campaign=campaign)) == [own]
    assert selectors.campaigns_visible_to(tree.users["secretary_a1"]).get() == campaign
    assert selectors.campaigns_visible_to(tree.users["province_viewer"]).get() == campaign
