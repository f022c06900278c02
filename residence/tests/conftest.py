import dataclasses

import pytest

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from members.tests.factories import make_member


@dataclasses.dataclass
class Teachers:
    """Two members of the school's cell (a work cell) living in Thôn 1, whose cell is XA-C1."""

    teacher: object
    colleague: object
    teacher_user: object
    school_secretary: object


@pytest.fixture
def teachers(tree) -> Teachers:
    teacher = make_member(unit=tree.cell_ag1, full_name="Phạm Thị Dung", residence_area=tree.village_a1)
    colleague = make_member(unit=tree.cell_ag1, full_name="Hoàng Văn Em", residence_area=tree.village_a1)
    return Teachers(
        teacher=teacher,
        colleague=colleague,
        teacher_user=make_user(role=RoleKind.MEMBER, unit=tree.cell_ag1, username="teacher", member=teacher),
        school_secretary=make_user(role=RoleKind.CELL_SECRETARY, unit=tree.cell_ag1, username="school_secretary"),
    )
