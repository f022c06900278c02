from django.db.models import QuerySet

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission, units_q
from members.models import Member
from orgunits.models import Unit

from .choices import RegistrationStatus
from .models import Feedback, Registration
from .rules import residential_cells_q


def registrations_visible(actor: User) -> QuerySet[Registration]:
    """Registrations of the actor's members (their work cells' subtree) and those made to the residential cells
    of their subtree: each side sees its own, the committees above see both."""
    return Registration.objects.filter(
        units_q(actor, Permission.MEMBER_VIEW, via="work_unit__")
        | units_q(actor, Permission.MEMBER_VIEW, via="residential_unit__")
    ).select_related("member", "work_unit", "residential_unit")


def members_living_here(actor: User, unit: Unit) -> QuerySet[Registration]:
    """The accepted registrations with the residential cells of `unit`'s subtree."""
    require_unit_permission(actor, Permission.MEMBER_VIEW, unit)
    return Registration.objects.filter(
        status=RegistrationStatus.ACCEPTED, residential_unit__path__startswith=unit.path
    ).select_related("member", "work_unit", "residential_unit")


def feedback_for_work_cell(actor: User, unit: Unit, *, year: int) -> QuerySet[Feedback]:
    """The feedback of `year` on the members of `unit`'s subtree, which their cells read before the rating."""
    require_unit_permission(actor, Permission.MEMBER_VIEW, unit)
    return Feedback.objects.filter(year=year, registration__work_unit__path__startswith=unit.path).select_related(
        "registration__member", "registration__residential_unit"
    )


def suggested_residential_cell(member: Member) -> Unit | None:
    """The open cell of the member's home village or residential group, if the tree has one."""
    if member.residence_area_id is None:
        return None
    return (
        Unit.objects.filter(residential_cells_q(), area_id=member.residence_area_id, closed_on__isnull=True)
        .order_by("path")
        .first()
    )
