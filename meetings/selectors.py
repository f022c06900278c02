"""Reads of meetings, always narrowed to what the actor may see.

Who sees a meeting: the members of its cell (their own cell, through `user.member`), and officials holding
MEMBER_VIEW on the cell or above (read). Who manages it: holders of MEETING_MANAGE on the cell (the cell
secretary, committee officers above). Outside scope a meeting does not exist (404).
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import ROLE_PERMISSIONS, Permission
from accounts.models import RoleAssignment, User
from accounts.scoping import has_unit_permission, units_q
from common.dates import end_of_day
from members.choices import CURRENT_STATUSES, MemberStatus, Standing
from members.models import Member
from orgunits.choices import CELL_KINDS, UnitKind
from orgunits.models import Unit

from .choices import (
    EXPECTED_STATUSES,
    MAY_ATTEND_STATUSES,
    ExcuseDecision,
    PassingRule,
    Presence,
    VoteChoice,
    VoteMethod,
)
from .models import AgendaComment, Attendance, BallotTally, Material, Meeting, Vote, VoteCast

# A meeting may belong to a cell or to a grassroots committee (which meets as a whole too).
MEETING_UNIT_KINDS = frozenset({*CELL_KINDS, UnitKind.GRASSROOTS_COMMITTEE})
# Absent without an accepted excuse in this many different months of a year: a ground for striking off.
ABSENT_MONTHS_LIMIT = 3


def own_cell_id(user) -> int | None:
    """The cell a signed-in member attends, if they are still on its roll."""
    if not user.is_authenticated or not user.member_id:
        return None
    # `user.member`, not accounts.scoping.own_member: only the record's own row is needed here (the API's next
    # meeting), and on the home own_member has already put the record there.
    member = user.member
    return member.unit_id if member.status in CURRENT_STATUSES else None


def meetings_visible_to(actor: User) -> QuerySet[Meeting]:
    if not actor.is_authenticated:
        return Meeting.objects.none()
    condition = units_q(actor, Permission.MEMBER_VIEW, via="unit__") | units_q(
        actor, Permission.MEETING_MANAGE, via="unit__"
    )
    cell_id = own_cell_id(actor)
    if cell_id:
        condition |= Q(unit_id=cell_id)
    return Meeting.objects.filter(condition)


def meeting_list(*, actor: User, unit: Unit | None = None, upcoming: bool | None = None) -> QuerySet[Meeting]:
    meetings = meetings_visible_to(actor).select_related("unit")
    if unit is not None:
        meetings = meetings.filter(unit__path__startswith=unit.path)
    now = timezone.now()
    if upcoming is True:
        meetings = meetings.filter(ends_at__gt=now).order_by("starts_at", "id")
    elif upcoming is False:
        meetings = meetings.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return meetings


def meeting_get(*, actor: User, pk: int) -> Meeting:
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(meetings_visible_to(actor).select_related("unit", "series"), pk=pk)


def next_meeting_for(*, user) -> Meeting | None:
    """The next meeting of the user's own cell that is not over yet (for the member's home page)."""
    cell_id = own_cell_id(user)
    if not cell_id:
        return None
    return next_meeting_of(cell_id)


def next_meeting_of(cell_id: int, *, now=None) -> Meeting | None:
    """The cell's next meeting that is not over yet and not cancelled."""
    meetings = Meeting.objects.filter(unit_id=cell_id, ends_at__gt=now or timezone.now(), cancelled_at__isnull=True)
    return meetings.select_related("unit").order_by("starts_at", "id").first()


def can_manage_meeting(*, user, meeting: Meeting) -> bool:
    return has_unit_permission(user, Permission.MEETING_MANAGE, meeting.unit)


def managed_units(*, actor: User) -> QuerySet[Unit]:
    """Open cells and grassroots committees where the actor may schedule meetings."""
    return Unit.objects.filter(
        units_q(actor, Permission.MEETING_MANAGE), kind__in=MEETING_UNIT_KINDS, closed_on__isnull=True
    ).order_by("path")


def unit_for_meetings(*, actor: User, code: str, manage: bool = False) -> Unit:
    """A cell whose meetings the actor may see (or manage), or 404."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.MEETING_MANAGE)
    if not manage:
        condition |= units_q(actor, Permission.MEMBER_VIEW)
    return get_object_or_404(Unit.objects.filter(condition), code=code)


def expected_members(*, meeting: Meeting) -> QuerySet[Member]:
    """Members expected at the meeting: on the cell's roll and taking part in activities (not exempt, not left or
    dead; see choices.EXPECTED_STATUSES), who had joined the party by the meeting's day."""
    day = timezone.localtime(meeting.starts_at).date()
    return Member.objects.filter(unit_id=meeting.unit_id, status__in=EXPECTED_STATUSES, joined_on__lte=day)


def optional_attendees(*, meeting: Meeting) -> QuerySet[Member]:
    """Exempt members of the cell who may still come: they are marked present only if they do."""
    day = timezone.localtime(meeting.starts_at).date()
    return Member.objects.filter(unit_id=meeting.unit_id, status__in=MAY_ATTEND_STATUSES, joined_on__lte=day)


def attendance_list(*, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("member").order_by("member__sort_name", "member_id")


@dataclasses.dataclass(frozen=True)
class SheetRow:
    member: Member
    attendance: Attendance | None


def attendance_sheet(*, meeting: Meeting) -> list[SheetRow]:
    """Every member expected at the meeting with their row, if any. Before the minutes freeze the list, it is the
    expected members now (plus anyone who already answered or was marked); afterwards, the rows themselves."""
    rows = {row.member_id: row for row in meeting.attendances.select_related("member")}
    members = {member_id: row.member for member_id, row in rows.items()}
    if not meeting.minutes_recorded_at:
        for member in expected_members(meeting=meeting):
            members.setdefault(member.pk, member)
        members = {
            member_id: member
            for member_id, member in members.items()
            if member_id not in rows
            or rows[member_id].presence
            or rows[member_id].reply
            or member.status in EXPECTED_STATUSES
        }
    ordered = sorted(members.values(), key=lambda member: (member.sort_name, member.pk))
    return [SheetRow(member=member, attendance=rows.get(member.pk)) for member in ordered]


def attendance_counts(*, meeting: Meeting) -> dict[str, int]:
    sheet = attendance_sheet(meeting=meeting)
    return {
        "expected": len(sheet),
        "present": sum(1 for row in sheet if row.attendance and row.attendance.presence == Presence.PRESENT),
        "excuses": sum(1 for row in sheet if row.attendance and row.attendance.excuse == ExcuseDecision.PENDING),
    }


def attendance_of(*, user, meeting: Meeting) -> Attendance | None:
    if not user.is_authenticated or not user.member_id:
        return None
    return Attendance.objects.filter(meeting=meeting, member_id=user.member_id).first()


def is_expected(*, user, meeting: Meeting) -> bool:
    return bool(user.member_id) and expected_members(meeting=meeting).filter(pk=user.member_id).exists()


def may_attend(*, user, meeting: Meeting) -> bool:
    """Expected at the meeting, or an exempt member of the cell who comes anyway."""
    return is_expected(user=user, meeting=meeting) or (
        bool(user.member_id) and optional_attendees(meeting=meeting).filter(pk=user.member_id).exists()
    )


def material_get(*, actor: User, pk: int) -> Material:
    return get_object_or_404(Material.objects.filter(meeting__in=meetings_visible_to(actor)), pk=pk)


# ------------------------------------------------------------------ figures


def held_q() -> Q:
    """A meeting counts as held when its minutes or some attendance were recorded."""
    recorded = Attendance.objects.filter(meeting=OuterRef("pk")).exclude(presence=Presence.UNKNOWN)
    return Q(minutes_recorded_at__isnull=False) | Q(Exists(recorded))


def held_meetings(*, units_filter: Q, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(units_filter, starts_at__gte=start, starts_at__lte=end).filter(held_q())


def year_bounds(year: int, as_of: datetime.date | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    last = datetime.date(year, 12, 31)
    if as_of is not None and as_of < last:
        last = as_of
    return start, end_of_day(last)


def months_required(*, year: int, today: datetime.date) -> int:
    """The monthly rule: one meeting a month, so 12 for a past year and the months begun so far for this one."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


@dataclasses.dataclass(frozen=True)
class MemberAttendance:
    member: Member
    expected: int
    present: int
    excused: int
    absent: int
    absent_months: tuple[int, ...]

    @property
    def rate(self) -> float | None:
        return _rate(self.present, self.expected)

    @property
    def is_flagged(self) -> bool:
        return len(self.absent_months) >= ABSENT_MONTHS_LIMIT


@dataclasses.dataclass(frozen=True)
class CellFigures:
    unit: Unit
    year: int
    held: int
    required: int
    expected: int
    present: int
    members: list[MemberAttendance]

    @property
    def rate(self) -> float | None:
        return _rate(self.present, self.expected)

    @property
    def flagged(self) -> list[MemberAttendance]:
        return [row for row in self.members if row.is_flagged]


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def cell_figures(*, unit: Unit, year: int, today: datetime.date | None = None) -> CellFigures:
    """A cell's meetings in one calendar year: held against the monthly rule, the attendance rate
    (present / expected over held meetings), and each member's attendance with the months they were absent
    without an accepted excuse. Three queries whatever the size of the cell."""
    today = today or timezone.localdate()
    start, end = year_bounds(year, as_of=today)
    held = held_meetings(units_filter=Q(unit=unit), start=start, end=end)
    rows = (
        Attendance.objects.filter(meeting__in=held)
        .select_related("member")
        .values_list("member_id", "presence", "excuse", "meeting__starts_at")
    )
    per_member: dict[int, dict] = defaultdict(lambda: {"expected": 0, "present": 0, "excused": 0, "months": set()})
    for member_id, presence, excuse, starts_at in rows:
        figures = per_member[member_id]
        figures["expected"] += 1
        if presence == Presence.PRESENT:
            figures["present"] += 1
        elif presence == Presence.EXCUSED or excuse == ExcuseDecision.ACCEPTED:
            figures["excused"] += 1
        else:
            figures["months"].add(timezone.localtime(starts_at).month)
    members = {member.pk: member for member in Member.objects.filter(pk__in=per_member.keys())}
    table = sorted(
        (
            MemberAttendance(
                member=members[member_id],
                expected=figures["expected"],
                present=figures["present"],
                excused=figures["excused"],
                absent=figures["expected"] - figures["present"] - figures["excused"],
                absent_months=tuple(sorted(figures["months"])),
            )
            for member_id, figures in per_member.items()
        ),
        key=lambda row: (-len(row.absent_months), row.member.sort_name, row.member.pk),
    )
    return CellFigures(
        unit=unit,
        year=year,
        held=held.count(),
        required=months_required(year=year, today=today),
        expected=sum(row.expected for row in table),
        present=sum(row.present for row in table),
        members=table,
    )


def absent_members(*, unit: Unit, year: int, today: datetime.date | None = None) -> list[MemberAttendance]:
    """Members of the cell absent without an accepted excuse in three or more different months of the year."""
    return cell_figures(unit=unit, year=year, today=today).flagged


def flag_recipients(*, unit: Unit) -> QuerySet[User]:
    """Who hears about a flagged member: users holding a role with MEETING_MANAGE on the cell itself (its secretary)."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if Permission.MEETING_MANAGE in permissions]
    holders = RoleAssignment.objects.active().filter(unit=unit, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True)


def subtree_attendance_counts(*, unit: Unit, as_of: datetime.date) -> dict[str, int]:
    """For the indicators: held meetings, expected attendances and presences in the unit's subtree, in the
    calendar year of `as_of` up to the end of that day."""
    start, end = year_bounds(as_of.year, as_of=as_of)
    held = held_meetings(units_filter=Q(unit__path__startswith=unit.path), start=start, end=end)
    counts = Attendance.objects.filter(meeting__in=held).aggregate(
        expected=Count("pk"), present=Count("pk", filter=Q(presence=Presence.PRESENT))
    )
    return {"held": held.count(), "expected": counts["expected"] or 0, "present": counts["present"] or 0}


# ------------------------------------------------------------------ comments on the agenda


def is_invited(*, user, meeting: Meeting) -> bool:
    """A member on the meeting's cell's roll: expected at the meeting or not (exempt, ill, away members are still
    invited to read the agenda and comment), or anyone already on its attendance list."""
    if not user.is_authenticated or not user.member_id:
        return False
    member = user.member
    if member.unit_id == meeting.unit_id and member.status in CURRENT_STATUSES:
        return True
    return meeting.attendances.filter(member_id=user.member_id).exists()


def can_see_comments(*, user, meeting: Meeting) -> bool:
    """Comments are the cell's own business: its invited members and those who manage its meetings."""
    return can_manage_meeting(user=user, meeting=meeting) or is_invited(user=user, meeting=meeting)


def comments_for(*, actor: User, meeting: Meeting) -> QuerySet[AgendaComment]:
    """The meeting's comments, oldest first; none for someone who may not see them."""
    if not can_see_comments(user=actor, meeting=meeting):
        return AgendaComment.objects.none()
    return meeting.comments.select_related("member", "author", "answered_by").order_by("created_at", "id")


@dataclasses.dataclass(frozen=True)
class CommentGroups:
    """The secretary's view: what still needs an answer, what was answered, what is taken into the meeting."""

    waiting: list[AgendaComment]
    answered: list[AgendaComment]
    taken: list[AgendaComment]

    @property
    def count(self) -> int:
        return len(self.waiting) + len(self.answered) + len(self.taken)


def comment_groups(*, actor: User, meeting: Meeting) -> CommentGroups:
    waiting, answered, taken = [], [], []
    for comment in comments_for(actor=actor, meeting=meeting):
        if comment.is_taken_into_meeting:
            taken.append(comment)
        elif comment.answered_at:
            answered.append(comment)
        else:
            waiting.append(comment)
    return CommentGroups(waiting=waiting, answered=answered, taken=taken)


def comment_get(*, actor: User, pk: int) -> AgendaComment:
    """A comment of a meeting the actor may see the comments of, or 404."""
    comment = get_object_or_404(
        AgendaComment.objects.filter(meeting__in=meetings_visible_to(actor)).select_related("meeting__unit"), pk=pk
    )
    if not can_see_comments(user=actor, meeting=comment.meeting):
        raise Http404
    return comment


def comment_author_name(comment: AgendaComment) -> str:
    return (
        comment.member.full_name if comment.member_id else (comment.author.get_full_name() or comment.author.username)
    )


def comments_quote(*, meeting: Meeting) -> str:
    """The comments taken into the meeting, as lines for the minutes (in the active language)."""
    taken = meeting.comments.filter(taken_into_meeting_at__isnull=False).select_related("member", "author")
    return "\n".join(
        f"- {comment_author_name(comment)}: {comment.text}"
        + (" (" + _("answer: %(answer)s") % {"answer": comment.answer} + ")" if comment.answer else "")
        for comment in taken.order_by("created_at", "id")
    )


# ------------------------------------------------------------------ votes


@dataclasses.dataclass(frozen=True)
class VoteFigures:
    """Who counts for a vote. The regulations implementing the Party Charter (Quy định 45-QĐ/TW of 2011, point
    16.3a, kept by its successors) count "the official members of the cell, less those introduced to another unit
    for temporary activity and exempt members who are absent (an exempt member who attends and votes counts)".
    The meeting has a quorum when more than half of them are present (issue 23's rule). Probationary members
    never count here: they have no vote (Điều lệ Đảng, Điều 5)."""

    members_with_a_vote: int
    members_present: int

    @property
    def has_quorum(self) -> bool:
        return 2 * self.members_present > self.members_with_a_vote


def _present_member_ids(meeting: Meeting) -> set[int]:
    return set(meeting.attendances.filter(presence=Presence.PRESENT).values_list("member_id", flat=True))


def vote_figures(*, meeting: Meeting) -> VoteFigures:
    present = _present_member_ids(meeting)
    official = Member.objects.filter(unit_id=meeting.unit_id, standing=Standing.OFFICIAL, status__in=CURRENT_STATUSES)
    with_a_vote = official.exclude(status=MemberStatus.TRANSFERRED_OUT_TEMPORARILY).exclude(
        Q(status__in=MAY_ATTEND_STATUSES) & ~Q(pk__in=present)
    )
    return VoteFigures(
        members_with_a_vote=with_a_vote.count(),
        members_present=with_a_vote.filter(pk__in=present).count(),
    )


def may_vote(*, vote: Vote, member: Member | None) -> bool:
    """A member present at the meeting, official (or probationary where the vote lets them take part)."""
    if member is None or member.unit_id != vote.meeting.unit_id or member.status not in CURRENT_STATUSES:
        return False
    if member.standing != Standing.OFFICIAL and not vote.probationary_members_vote:
        return False
    return member.pk in _present_member_ids(vote.meeting)


def voters_present(*, vote: Vote) -> int:
    """How many members present may vote on it: official ones, and probationary ones if the vote lets them."""
    present = Member.objects.filter(pk__in=_present_member_ids(vote.meeting), unit_id=vote.meeting.unit_id)
    if not vote.probationary_members_vote:
        present = present.filter(standing=Standing.OFFICIAL)
    return present.count()


def votes_for(*, actor: User, meeting: Meeting) -> QuerySet[Vote]:
    """The meeting's votes, for its invited members and those who manage it."""
    if not can_see_comments(user=actor, meeting=meeting):
        return Vote.objects.none()
    return meeting.votes.order_by("opened_at", "id")


def vote_get(*, actor: User, pk: int) -> Vote:
    vote = get_object_or_404(
        Vote.objects.filter(meeting__in=meetings_visible_to(actor)).select_related("meeting__unit"), pk=pk
    )
    if not can_see_comments(user=actor, meeting=vote.meeting):
        raise Http404
    return vote


@dataclasses.dataclass(frozen=True)
class VoteRow:
    vote: Vote
    may_vote: bool  # the user may vote in it now (electronic, open, present, standing allowed, not voted yet)
    has_voted: bool
    casts: int
    result: str  # the closed vote's line of the minutes; empty while it is open


def vote_rows(*, actor: User, meeting: Meeting) -> list[VoteRow]:
    """The meeting's votes as the votes page shows them to `actor`: a fixed number of queries however many."""
    votes = list(votes_for(actor=actor, meeting=meeting).annotate(cast_count=Count("casts")))
    member = actor.member if actor.is_authenticated and actor.member_id else None
    present = _present_member_ids(meeting) if member else set()
    voted = set(
        VoteCast.objects.filter(vote__in=votes, member=member).values_list("vote_id", flat=True) if member else []
    )
    is_on_roll = member is not None and member.unit_id == meeting.unit_id and member.status in CURRENT_STATUSES
    rows = []
    for vote in votes:
        standing_allowed = member is not None and (
            member.standing == Standing.OFFICIAL or vote.probationary_members_vote
        )
        may_vote = (
            vote.is_open
            and vote.method == VoteMethod.ELECTRONIC
            and is_on_roll
            and standing_allowed
            and member.pk in present
            and vote.pk not in voted
        )
        rows.append(
            VoteRow(
                vote=vote,
                may_vote=may_vote,
                has_voted=vote.pk in voted,
                casts=vote.cast_count,
                result="" if vote.is_open else vote_result_line(vote),
            )
        )
    return rows


def has_voted(*, vote: Vote, member_id: int | None) -> bool:
    return bool(member_id) and VoteCast.objects.filter(vote=vote, member_id=member_id).exists()


def ballot_counts(*, vote: Vote) -> dict[str, int]:
    counted = dict(BallotTally.objects.filter(vote=vote).values_list("choice", "count"))
    return {choice: counted.get(choice, 0) for choice in VoteChoice.values}


def passes(*, rule: str, count_for: int, voters: int, members_with_a_vote: int) -> bool:
    """Whether `count_for` meets the vote's passing rule (PassingRule says against whom shares are counted)."""
    if rule == PassingRule.TWO_THIRDS_OF_ROLL:
        return 3 * count_for >= 2 * members_with_a_vote
    if rule == PassingRule.MAJORITY_OF_VOTERS:
        return 2 * count_for > voters
    return 2 * count_for > members_with_a_vote


def vote_result_line(vote: Vote) -> str:
    """The closed vote as one line of the minutes, in the active language (the services write it in Vietnamese)."""
    if not vote.has_quorum:
        result = _("not passed: fewer than half of the official members with a vote were present")
    else:
        result = _("passed") if vote.is_passed else _("not passed")
    how = _("show of hands") if vote.method == VoteMethod.SHOW_OF_HANDS else _("electronic")
    if vote.is_secret:
        how += ", " + _("secret")
    return _(
        "Vote on %(matter)s (%(how)s): %(for)s for, %(against)s against, %(abstain)s abstaining; "
        "%(present)s of %(members)s official members with a vote present; %(result)s."
    ) % {
        "matter": vote.matter,
        "how": how,
        "for": vote.count_for,
        "against": vote.count_against,
        "abstain": vote.count_abstain,
        "present": vote.members_present,
        "members": vote.members_with_a_vote,
        "result": result,
    }
