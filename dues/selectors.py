"""Reads of the dues app, always narrowed to what the actor may see.

A cell's ledger and its members' bases are seen by holders of MEMBER_VIEW or DUES_RECORD on the cell or above,
and written by holders of DUES_RECORD (the secretary, the committee's officers). A member sees their own months,
whichever cell they paid in. Outside scope a unit or an entry does not exist (404).
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import granted_unit_paths, has_unit_permission, units_q
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from .choices import PAYING_STATUSES, UNPAID_MONTHS_LIMIT, MonthState
from .models import ArrearsReason, CellBankAccount, DuesExemption, DuesProfile, DuesShare, LedgerEntry
from .rules import DuesRules, add_months, first_of_month, months_between, profile_on, whole_dong

ZERO = Decimal(0)


def _see_q(actor: User, via: str = "") -> Q:
    return units_q(actor, Permission.MEMBER_VIEW, via=via) | units_q(actor, Permission.DUES_RECORD, via=via)


def can_record(*, user, unit: Unit) -> bool:
    return has_unit_permission(user, Permission.DUES_RECORD, unit)


def unit_for_dues(*, actor: User, code: str, record: bool = False) -> Unit:
    """A unit whose dues the actor may see (or record), or 404."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.DUES_RECORD) if record else _see_q(actor)
    return get_object_or_404(Unit.objects.filter(condition), code=code)


def recording_cells(*, actor: User) -> QuerySet[Unit]:
    """Open cells whose dues the actor records."""
    return Unit.objects.filter(
        units_q(actor, Permission.DUES_RECORD), kind__in=CELL_KINDS, closed_on__isnull=True
    ).order_by("path")


def top_units(*, actor: User) -> list[Unit]:
    """The outermost units whose dues the actor may see: where the committee's view opens."""
    paths = set(granted_unit_paths(actor, Permission.MEMBER_VIEW)) | set(
        granted_unit_paths(actor, Permission.DUES_RECORD)
    )
    outermost = [path for path in paths if not any(path != other and path.startswith(other) for other in paths)]
    return list(Unit.objects.filter(path__in=outermost).order_by("path"))


def entry_get(*, actor: User, pk: int) -> LedgerEntry:
    """A ledger entry of a cell the actor may see, or 404."""
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(
        LedgerEntry.objects.filter(_see_q(actor, via="unit__")).select_related("unit", "member"), pk=pk
    )


def member_for_dues(*, actor: User, pk: int, record: bool = False) -> Member:
    """A member of a cell whose dues the actor may see (or record), or 404."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.DUES_RECORD, via="unit__") if record else _see_q(actor, via="unit__")
    return get_object_or_404(Member.objects.filter(condition).select_related("unit"), pk=pk)


def bank_account_of(*, unit: Unit) -> CellBankAccount | None:
    return CellBankAccount.objects.filter(unit=unit).first()


# ------------------------------------------------------------------ months owed and paid


@dataclasses.dataclass(frozen=True)
class MonthLine:
    """One member's month: what was due, what was paid (payments less reversals), and the state."""

    month: datetime.date
    due: Decimal | None
    paid: Decimal

    @property
    def state(self) -> str:
        if self.due is None:
            return MonthState.PAID if self.paid > 0 else MonthState.NOT_RECKONED
        if self.due == 0:
            return MonthState.NOTHING_DUE
        if self.paid >= self.due:
            return MonthState.PAID
        return MonthState.PART_PAID if self.paid > 0 else MonthState.UNPAID

    @property
    def state_label(self) -> str:
        return MonthState(self.state).label

    @property
    def owing(self) -> Decimal:
        return max(self.due - self.paid, ZERO) if self.due else ZERO

    @property
    def is_unpaid(self) -> bool:
        """Not paid in full: what the three-months rule counts (a part payment leaves the month owing)."""
        return self.state in (MonthState.UNPAID, MonthState.PART_PAID)


class _MemberData:
    """The profiles, exemptions and payments of a set of members, read in three queries."""

    def __init__(self, member_ids, months: list[datetime.date]):
        self.rules = DuesRules.load()
        self.profiles: dict[int, list] = defaultdict(list)
        for profile in DuesProfile.objects.filter(member_id__in=member_ids).order_by("member_id", "starts_on"):
            self.profiles[profile.member_id].append(profile)
        self.exemptions: dict[int, list] = defaultdict(list)
        for exemption in DuesExemption.objects.filter(member_id__in=member_ids):
            self.exemptions[exemption.member_id].append(exemption)
        self.paid: dict[tuple[int, datetime.date], Decimal] = {
            (row["member_id"], row["month"]): row["total"]
            for row in LedgerEntry.objects.filter(member_id__in=member_ids, month__in=months)
            .values("member_id", "month")
            .annotate(total=Sum("amount"))
        }

    def line(self, member: Member, month: datetime.date) -> MonthLine:
        due = self.rules.due(
            month=month,
            joined_on=member.joined_on,
            profile=profile_on(self.profiles[member.pk], month),
            exemptions=self.exemptions[member.pk],
        )
        return MonthLine(month=month, due=due, paid=self.paid.get((member.pk, month), ZERO))


def _member_months(member: Member, year: int, today: datetime.date) -> list[datetime.date]:
    """The months of `year` the member owes dues for: from joining, up to the current month."""
    last = min(datetime.date(year, 12, 1), first_of_month(today))
    first = max(datetime.date(year, 1, 1), first_of_month(member.joined_on))
    return months_between(first, last) if first <= last else []


def member_year(*, member: Member, year: int, today: datetime.date) -> list[MonthLine]:
    """The member's own months of a year: due, paid and state (the member's page)."""
    months = _member_months(member, year, today)
    data = _MemberData([member.pk], months)
    return [data.line(member, month) for month in months]


def own_member(user) -> Member | None:
    """The signed-in user's own record, if they are a member."""
    if not user.is_authenticated or not user.member_id:
        return None
    return Member.objects.select_related("unit").filter(pk=user.member_id).first()


def own_entries(*, member: Member, year: int) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(member=member, month__year=year).order_by("month", "id")


@dataclasses.dataclass(frozen=True)
class LedgerRow:
    member: Member
    line: MonthLine
    entries: list


def paying_members(*, unit: Unit, month: datetime.date) -> QuerySet[Member]:
    """Members on the cell's roll who pay dues to it for `month` (joined by the month's end)."""
    return Member.objects.filter(unit=unit, status__in=PAYING_STATUSES, joined_on__lt=add_months(month, 1))


def paying_members_of(*, unit: Unit) -> QuerySet[Member]:
    """Members on the cell's roll (for a payment, whatever the month)."""
    return Member.objects.filter(unit=unit)


def cell_ledger(*, unit: Unit, month: datetime.date) -> list[LedgerRow]:
    """A cell's month: every paying member (and anyone else with an entry in the cell that month), what they owe,
    what they paid and the entries. Six queries whatever the size of the cell."""
    month = first_of_month(month)
    entries: dict[int, list] = defaultdict(list)
    for entry in LedgerEntry.objects.filter(unit=unit, month=month).select_related("reverses").order_by("id"):
        entries[entry.member_id].append(entry)
    members = list(
        Member.objects.filter(
            Q(pk__in=paying_members(unit=unit, month=month).values("pk")) | Q(pk__in=list(entries))
        ).order_by("search_name", "id")
    )
    data = _MemberData([member.pk for member in members], [month])
    return [LedgerRow(member=member, line=data.line(member, month), entries=entries[member.pk]) for member in members]


def reversed_ids(entries) -> set[int]:
    return {entry.reverses_id for entry in entries if entry.reverses_id}


# ------------------------------------------------------------------ the committee's view


@dataclasses.dataclass(frozen=True)
class ArrearsRow:
    member: Member
    unpaid_months: tuple[datetime.date, ...]
    owing: Decimal
    reason: str


def arrears(*, unit: Unit, year: int, today: datetime.date) -> list[ArrearsRow]:
    """Members on the roll in the unit's subtree with three or more months of `year` not paid in full. Only months
    that are over count (the current month can still be paid); months of another year never add up."""
    members = list(
        Member.objects.filter(unit__path__startswith=unit.path, status__in=PAYING_STATUSES)
        .select_related("unit")
        .order_by("unit__path", "search_name", "id")
    )
    months = months_between(datetime.date(year, 1, 1), datetime.date(year, 12, 1))
    data = _MemberData([member.pk for member in members], months)
    current = first_of_month(today)
    reasons = {
        row.member_id: row.reason
        for row in ArrearsReason.objects.filter(member_id__in=[member.pk for member in members], year=year).order_by(
            "recorded_at", "id"
        )
    }
    rows = []
    for member in members:
        lines = [data.line(member, month) for month in _member_months(member, year, today) if month < current]
        unpaid = [line for line in lines if line.is_unpaid]
        if len(unpaid) >= UNPAID_MONTHS_LIMIT:
            rows.append(
                ArrearsRow(
                    member=member,
                    unpaid_months=tuple(line.month for line in unpaid),
                    owing=sum((line.owing for line in unpaid), ZERO),
                    reason=reasons.get(member.pk, ""),
                )
            )
    return rows


@dataclasses.dataclass(frozen=True)
class CollectionRow:
    unit: Unit
    by_month: list[Decimal]  # January to December
    total: Decimal
    upward_percent: Decimal | None
    upward: Decimal


def share_on(kind: str, day: datetime.date) -> Decimal | None:
    share = DuesShare.objects.filter(unit_kind=kind, valid_from__lte=day).order_by("-valid_from").first()
    return share.upward_percent if share else None


def collection(*, unit: Unit, year: int, children: list[Unit]) -> tuple[CollectionRow, list[CollectionRow]]:
    """Dues collected in `year` (payments less reversals, by the month paid for) in the unit's subtree and in each
    of `children`'s subtrees, month by month, with what each passes upward (DuesShare: the share of its subtree's
    collection, rounded half up to the đồng)."""
    sums = (
        LedgerEntry.objects.filter(unit__path__startswith=unit.path, month__year=year)
        .values("unit__path", "month")
        .annotate(total=Sum("amount"))
    )
    per_path: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    for row in sums:
        per_path[row["unit__path"]][row["month"].month - 1] += row["total"]
    shares: dict[str, Decimal | None] = {}

    def row_for(node: Unit) -> CollectionRow:
        by_month = [ZERO] * 12
        for path, months in per_path.items():
            if path.startswith(node.path):
                by_month = [a + b for a, b in zip(by_month, months, strict=True)]
        total = sum(by_month, ZERO)
        if node.kind not in shares:
            shares[node.kind] = share_on(node.kind, datetime.date(year, 12, 31))
        percent = shares[node.kind]
        upward = whole_dong(total * percent / 100) if percent is not None else ZERO
        return CollectionRow(unit=node, by_month=by_month, total=total, upward_percent=percent, upward=upward)

    return row_for(unit), [row_for(child) for child in children]


def paid_through(*, member: Member) -> datetime.date | None:
    """The last month the member has paid for (payments less their reversals), as its first day; None if none."""
    months = (
        LedgerEntry.objects.filter(member=member)
        .values("month")
        .annotate(net=Sum("amount"))
        .filter(net__gt=0)
        .order_by("-month")
        .values_list("month", flat=True)
    )
    return months.first()
