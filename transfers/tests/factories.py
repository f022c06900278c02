import datetime

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.clock import TODAY
from orgunits.choices import UnitKind
from orgunits.tests.factories import make_unit

# The suite's pinned day, a Wednesday: 60 working days later crosses New Year's Day and Tết 2027.
APPLIED_ON = TODAY
MOVES_ON = datetime.date(2026, 12, 15)
REASON = "Chuyển nơi cư trú theo gia đình"


def apply(tree, *, to_unit=None, actor=None, **options):
    from transfers.services import transfer_apply

    options.setdefault("kind", "official")
    options.setdefault("moves_on", MOVES_ON)
    options.setdefault("reason", REASON)
    if to_unit is None and "outside_name" not in options:
        to_unit = tree.cell_a2
    return transfer_apply(
        actor=actor or tree.users["member_a1"], member=options.pop("member", tree.member_a1), to_unit=to_unit, **options
    )


def issued(tree, **options):
    from transfers.services import letter_issue

    return letter_issue(actor=tree.users["officer_a"], transfer=apply(tree, **options))


def secretary_of(unit, username: str):
    return make_user(role=RoleKind.CELL_SECRETARY, unit=unit, username=username)


def second_province(tree):
    """Another province on Sổ tay, with a commune, a cell and a provincial committee officer."""
    province = make_unit(parent=tree.central, kind=UnitKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Bắc Ninh", code="BN")
    commune = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã Đông Phong", code="BN-DP")
    cell = make_unit(parent=commune, name="Chi bộ thôn Thượng", code="BN-DP-C1")
    return province, commune, cell
