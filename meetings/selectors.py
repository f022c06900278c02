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

from accounts.choices import ROLE_PERMISSIONS, Permission
from accounts.models import RoleAssignment, User
from accounts.scoping import has_unit_permission, units_q
from common.dates import end_of_day
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.choices import CELL_KINDS, UnitKind
from orgunits.models import Unit

from .choices import EXPECTED_STATUSES, ExcuseDecision, Presence
from .models import AbsenceFlag, Attendance, Material, Meeting, MeetingSeries

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


def meetings_visible_to(actor) -> QuerySet[Meeting]:
    if not actor.is_authenticated:
        return Meeting.objects.none()
    condition = units_q(actor, Permission.MEMBER_VIEW, via="unit__") | units_q(
        actor, Permission.MEETING_MANAGE, via="unit__"
    )
    cell_id = own_cell_id(actor)
    if cell_id:
        condition |= Q(unit_id=cell_id)
    return Meeting.objects.filter(condition)


def meeting_list(*, actor, unit: Unit | None = None, upcoming: bool | None = None) -> QuerySet[Meeting]:
    meetings = meetings_visible_to(actor).select_related("unit")
    if unit is not None:
        meetings = meetings.filter(unit__path__startswith=unit.path)
    now = timezone.now()
    if upcoming is True:
        meetings = meetings.filter(ends_at__gt=now).order_by("starts_at", "id")
    elif upcoming is False:
        meetings = meetings.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return meetings


def meeting_get(*, actor, pk: int) -> Meeting:
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(meetings_visible_to(actor).select_related("unit", "series"), pk=pk)


def next_meeting_for(*, user) -> Meeting | None:
    """The next meeting of the user's own cell that is not over yet (for the member's home page)."""
    cell_id = own_cell_id(user)
    if not cell_id:
        return None
    return (
        Meeting.objects.filter(unit_id=cell_id, ends_at__gt=timezone.now(), cancelled_at__isnull=True)
        .select_related("unit")
        .order_by("starts_at", "id")
        .first()
    )


def can_manage_meeting(*, user, meeting: Meeting) -> bool:
    return has_unit_permission(user, Permission.MEETING_MANAGE, meeting.unit)


def managed_units(*, actor) -> QuerySet[Unit]:
    """Open cells and grassroots committees where the actor may schedule meetings."""
    return Unit.objects.filter(
        units_q(actor, Permission.MEETING_MANAGE), kind__in=MEETING_UNIT_KINDS, closed_on__isnull=True
    ).order_by("path")


def unit_for_meetings(*, actor, code: str, manage: bool = False) -> Unit:
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


def material_get(*, actor, pk: int) -> Material:
    return get_object_or_404(Material.objects.filter(meeting__in=meetings_visible_to(actor)), pk=pk)


def series_for(*, unit: Unit) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.filter(unit=unit).order_by("id")


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


def flags_for(*, unit: Unit, year: int) -> QuerySet[AbsenceFlag]:
    return AbsenceFlag.objects.filter(unit=unit, year=year)


def subtree_attendance_counts(*, unit: Unit, as_of: datetime.date) -> dict[str, int]:
    """For the indicators: held meetings, expected attendances and presences in the unit's subtree, in the
    calendar year of `as_of` up to the end of that day."""
    start, end = year_bounds(as_of.year, as_of=as_of)
    held = held_meetings(units_filter=Q(unit__path__startswith=unit.path), start=start, end=end)
    counts = Attendance.objects.filter(meeting__in=held).aggregate(
        expected=Count("pk"), present=Count("pk", filter=Q(presence=Presence.PRESENT))
    )
    return {"held": held.count(), "expected": counts["expected"] or 0, "present": counts["present"] or 0}
