"""Writes of the yearly rating. Each checks the actor's role through accounts.scoping and writes the change log.

The steps: the committee issues the campaign (a row per member of its cells; exempt members are not rated) → each
member files a self-review → the cell, at its meeting, votes the grade it proposes → the committee decides. The
quota of "excellent" is checked by `selectors.quota_status` and shown as a warning: the committee decides.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from accounts.selectors import nearest_role_holders
from audit.choices import ChangeAction
from audit.services import bulk_creation_log, change_log, model_create, model_update
from common.locks import locked
from meetings.models import Vote
from members.choices import CURRENT_STATUSES, MemberStatus
from members.models import Member
from notifications.services import Message, notify
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from .choices import Grade, Stage
from .models import MemberRating, RatingCampaign
from .rules import grade_allowed_by_points, is_better

NOT_RATED_STATUSES = {
    MemberStatus.EXEMPT: _("Exempt from party work and activity: not rated."),
    MemberStatus.TEMPORARILY_EXEMPT: _("Temporarily exempt from party activity: not rated."),
}


@transaction.atomic
def rating_campaign_issue(
    *,
    actor: User,
    unit: Unit,
    year: int,
    self_review_due: datetime.date,
    decision_due: datetime.date,
    excellent_quota_percent: int,
) -> RatingCampaign:
    """The committee's campaign for `year`: a row for every current member of the cells below it."""
    require_unit_permission(actor, Permission.RATING_DECIDE, unit)
    if unit.kind in CELL_KINDS:
        raise ValidationError(_("A committee issues the rating to its cells: choose the committee, not a cell."))
    if decision_due < self_review_due:
        raise ValidationError({"decision_due": _("Decisions come after the self-reviews.")})
    if RatingCampaign.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("This committee has already issued the rating of %(year)s.") % {"year": year}})
    campaign = RatingCampaign(
        unit=unit,
        year=year,
        self_review_due=self_review_due,
        decision_due=decision_due,
        excellent_quota_percent=excellent_quota_percent,
        issued_by=actor,
    )
    model_create(campaign, actor=actor, unit=unit)
    members = Member.objects.filter(
        unit__path__startswith=unit.path, unit__kind__in=CELL_KINDS, status__in=CURRENT_STATUSES
    ).only("pk", "unit_id", "status")
    rows = MemberRating.objects.bulk_create(
        [
            MemberRating(
                campaign=campaign,
                member_id=member.pk,
                unit_id=member.unit_id,
                stage=Stage.EXCLUDED if member.status in NOT_RATED_STATUSES else Stage.WAITING,
                excluded_reason=str(NOT_RATED_STATUSES.get(member.status, "")),
            )
            for member in members
        ]
    )
    bulk_creation_log(actor=actor, objects=rows, unit_of=lambda row: row.unit_id)
    return campaign


def _locked(rating: MemberRating) -> MemberRating:
    row = locked(MemberRating, [rating.pk])[rating.pk]
    if row.stage == Stage.EXCLUDED:
        raise ValidationError(row.excluded_reason or _("This member is not rated."))
    return row


@transaction.atomic
def self_review_file(
    *,
    actor: User,
    rating: MemberRating,
    strengths: str,
    shortcomings: str,
    remedies: str,
    points: int,
    self_grade: str,
    now: datetime.datetime | None = None,
) -> MemberRating:
    """The member's own review: filed, and changed until the cell has proposed a grade. A member without the app
    fills in the paper form, which the cell's secretary records for them."""
    rating = _locked(rating)
    if actor.member_id != rating.member_id:
        require_unit_permission(actor, Permission.MEETING_MANAGE, rating.unit)
    if rating.stage not in (Stage.WAITING, Stage.SELF_REVIEWED):
        raise ValidationError(_("The cell has already proposed your grade: the self-review can no longer change."))
    if not strengths.strip() or not remedies.strip():
        raise ValidationError(_("Write your strengths and how you will remedy your shortcomings."))
    if not 0 <= points <= 100:
        raise ValidationError({"points": _("Points are from 0 to 100.")})
    problem = grade_allowed_by_points(self_grade, points)
    if problem:
        raise ValidationError({"self_grade": problem})
    return model_update(
        rating,
        data={
            "strengths": strengths.strip(),
            "shortcomings": shortcomings.strip(),
            "remedies": remedies.strip(),
            "points": points,
            "self_grade": self_grade,
            "stage": Stage.SELF_REVIEWED,
            "self_reviewed_at": now or timezone.now(),
        },
        actor=actor,
        unit=rating.unit,
    )


@transaction.atomic
def cell_grade_record(
    *,
    actor: User,
    rating: MemberRating,
    grade: str,
    vote: Vote | None = None,
    votes_for: int | None = None,
    voters: int | None = None,
    now: datetime.datetime | None = None,
) -> MemberRating:
    """The grade the cell's meeting proposes, with its vote: a closed, passed vote of the cell's meeting in Sổ tay,
    or the counts of a vote held on paper (more than half of those voting for it)."""
    rating = _locked(rating)
    require_unit_permission(actor, Permission.MEETING_MANAGE, rating.unit)
    if rating.stage == Stage.DECIDED:
        raise ValidationError(_("The committee has decided this grade."))
    if rating.stage == Stage.WAITING:
        raise ValidationError(_("The member has not filed a self-review yet."))
    if rating.points is not None and (problem := grade_allowed_by_points(grade, rating.points)):
        raise ValidationError({"grade": problem})
    if vote is not None:
        if vote.meeting.unit_id != rating.unit_id or vote.is_open:
            raise ValidationError({"vote": _("Choose a closed vote of this cell's meeting.")})
        if not vote.is_passed:
            raise ValidationError({"vote": _("That vote did not pass: the cell has not agreed on this grade.")})
        votes_for, voters = (
            vote.count_for,
            (vote.count_for or 0) + (vote.count_against or 0) + (vote.count_abstain or 0),
        )
    elif votes_for is None or not voters:
        raise ValidationError(
            _("Give the cell's vote: choose the meeting's vote, or type the votes for and the voters.")
        )
    elif votes_for > voters:
        raise ValidationError({"votes_for": _("More votes for than members voting.")})
    elif votes_for * 2 <= voters:
        raise ValidationError(
            {"votes_for": _("Not more than half voted for it: the cell has not agreed on this grade.")}
        )
    return model_update(
        rating,
        data={
            "cell_grade": grade,
            "cell_vote": vote,
            "cell_votes_for": votes_for,
            "cell_voters": voters,
            "cell_recorded_by": actor,
            "cell_recorded_at": now or timezone.now(),
            "stage": Stage.CELL_PROPOSED,
        },
        actor=actor,
        unit=rating.unit,
    )


@transaction.atomic
def rating_decide(
    *, actor: User, rating: MemberRating, grade: str, note: str = "", now: datetime.datetime | None = None
) -> MemberRating:
    """The committee's grade. Higher than the cell proposed needs a note saying why; the quota is a warning."""
    rating = _locked(rating)
    require_unit_permission(actor, Permission.RATING_DECIDE, rating.campaign.unit)
    if rating.stage != Stage.CELL_PROPOSED and rating.stage != Stage.DECIDED:
        raise ValidationError(_("The cell has not proposed a grade yet."))
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    if is_better(grade, rating.cell_grade) and not note.strip():
        raise ValidationError({"note": _("A grade above the cell's proposal needs a note saying why.")})
    return model_update(
        rating,
        data={
            "grade": grade,
            "decision_note": note.strip(),
            "decided_by": actor,
            "decided_at": now or timezone.now(),
            "stage": Stage.DECIDED,
        },
        actor=actor,
        unit=rating.unit,
    )


def results_export_log(*, actor: User, campaign: RatingCampaign, unit: Unit, rows: int, kind: str) -> None:
    """Who exported whose grades: a change-log row on the unit exported, as for the registry's exports."""
    change_log(
        actor=actor,
        obj=campaign,
        action=ChangeAction.EXPORT,
        before=None,
        after={"export": kind, "unit": unit.code, "rows": rows},
        reason=_("Rating results %(year)s") % {"year": campaign.year},
        unit=unit,
    )


# Members are reminded from this many days before their self-review is due.
REMIND_DAYS_BEFORE = 3


def rating_send_reminders(*, day: datetime.date | None = None) -> tuple[int, int]:
    """The daily reminders (idempotent; run once a day or more). Returns (campaigns whose members were reminded,
    cell digests sent).

    - From `REMIND_DAYS_BEFORE` days before the self-reviews are due to that day: each member with an account who has
      not filed gets one reminder per campaign.
    - Once they are due: ONE digest per cell to its secretaries (the nearest holders of MEETING_MANAGE), saying how
      many members have not filed and how many reviews wait for the cell's proposal; never a message a day.
    """
    day = day or timezone.localdate()
    reminded = digests = 0
    soon = day + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    for campaign in RatingCampaign.objects.filter(self_review_due__gte=day, self_review_due__lte=soon):
        waiting = MemberRating.objects.filter(campaign=campaign, stage=Stage.WAITING).values("member_id")
        with translation.override("vi"):
            message = Message(
                kind="rating.self_review",
                title=_("Self-review for %(year)s due %(day)s")
                % {"year": campaign.year, "day": campaign.self_review_due.strftime("%d/%m/%Y")},
                body=_("File your self-review before the cell's year-end meeting."),
                url="/rating/",
                dedupe_key=f"rating.self_review:{campaign.pk}",
            )
        notify(recipients=User.objects.filter(member_id__in=waiting, is_active=True), message=message)
        reminded += 1
    recent = day - datetime.timedelta(days=60)
    for campaign in RatingCampaign.objects.filter(self_review_due__lt=day, decision_due__gte=recent):
        open_stages = (Stage.WAITING, Stage.SELF_REVIEWED)
        counts = (
            MemberRating.objects.filter(campaign=campaign, stage__in=open_stages)
            .values_list("unit_id", "stage")
            .annotate(number=Count("pk"))
            .order_by()
        )
        by_cell: dict[int, dict[str, int]] = {}
        for unit_id, stage, number in counts:
            by_cell.setdefault(unit_id, {})[stage] = number
        for cell in Unit.objects.filter(pk__in=by_cell):
            waiting = by_cell[cell.pk]
            with translation.override("vi"):
                message = Message(
                    kind="rating.cell_digest",
                    title=_("Year-end rating %(year)s: %(cell)s") % {"year": campaign.year, "cell": cell.name},
                    body=_(
                        "%(waiting)s members have not filed a self-review; %(filed)s reviews wait for the cell's proposal."
                    )
                    % {"waiting": waiting.get(Stage.WAITING, 0), "filed": waiting.get(Stage.SELF_REVIEWED, 0)},
                    url=f"/rating/campaigns/{campaign.pk}/?unit={cell.code}",
                    dedupe_key=f"rating.cell_digest:{campaign.pk}:{cell.pk}",
                )
            notify(recipients=nearest_role_holders(cell, Permission.MEETING_MANAGE), message=message)
            digests += 1
    return reminded, digests
