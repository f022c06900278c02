"""The demo's transfers, one at each step: applications waiting (one past the committee's 60 working days), letters
waiting to be presented (one late), a move received inside the ward, a temporary stay in the small commune and a
letter out of Sổ tay. (No member arrives from outside: the demo's rolls keep the sizes asked for.)"""

import datetime

from accounts.models import User
from members.choices import MemberStatus
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from .services import letter_issue, transfer_apply, transfer_receive

REASON = "Chuyển nơi cư trú về sống cùng con"


def _cells(commune: Unit, *, but: Unit | None = None) -> list[Unit]:
    cells = Unit.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS, closed_on__isnull=True)
    if but is not None:
        cells = cells.exclude(pk=but.pk)
    return list(cells.order_by("path")[:4])


def demo_transfers(
    *,
    commune: Unit,
    small_commune: Unit,
    cell: Unit,
    officer: User,
    small_officer: User,
    province_admin: User,
    secretary: User,
    keep_for: User,
    today: datetime.date,
) -> None:
    nearby = _cells(commune, but=cell)
    far = _cells(small_commune)[0]
    members = list(
        Member.objects.filter(unit=cell, status=MemberStatus.ACTIVE)
        .exclude(pk__in=[keep_for.member_id or 0, secretary.member_id or 0])
        .order_by("sort_name", "pk")[:7]
    )

    def applied(member, to_unit, days_ago, **options):
        filed_on = today - datetime.timedelta(days=days_ago)
        return transfer_apply(
            actor=secretary,
            member=member,
            kind=options.pop("kind", "official"),
            to_unit=to_unit,
            moves_on=filed_on + datetime.timedelta(days=7),
            reason=REASON,
            filed_on=filed_on,
            **options,
        )

    def signed(transfer, days_ago, by=officer):
        return letter_issue(actor=by, transfer=transfer, signed_on=today - datetime.timedelta(days=days_ago))

    if len(members) < 7 or not nearby:  # a demo too small for the story (tests load a few members)
        return

    def cell_near(number: int) -> Unit:
        return nearby[number % len(nearby)]

    applied(members[0], cell_near(0), 3)
    applied(members[1], far, 100)  # the committee is late: 60 working days have passed
    signed(applied(members[2], cell_near(1), 20), 10)
    signed(applied(members[3], cell_near(2), 80), 60)  # the member is late: 30 working days have passed
    transfer_receive(actor=officer, transfer=signed(applied(members[4], cell_near(3), 30), 25))
    temporary = applied(members[5], far, 15, kind="temporary", returns_on=today + datetime.timedelta(days=120))
    transfer_receive(actor=small_officer, transfer=signed(temporary, 8))
    out = transfer_apply(
        actor=secretary,
        member=members[6],
        kind="official",
        outside_name="Đảng bộ Quân khu 3",
        moves_on=today - datetime.timedelta(days=5),
        reason="Nhập ngũ, chuyển sinh hoạt về đơn vị quân đội",
        filed_on=today - datetime.timedelta(days=12),
    )
    signed(out, 5, by=province_admin)
