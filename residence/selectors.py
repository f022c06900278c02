from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission, units_q
from members.models import Member
from orgunits.models import Unit
from orgunits.selectors import province_committee_of

from .choices import RegistrationStatus
from .models import Feedback, Registration
from .rules import residential_cells_q, work_cells_q


def registrations_visible(actor: User) -> QuerySet[Registration]:
    """Registrations of the actor's members (their work cells' subtree) and those made to the residential cells
    of their subtree: each side sees its own, the committees above see both."""
    return Registration.objects.filter(
        units_q(actor, Permission.MEMBER_VIEW, via="work_unit__")
        | units_q(actor, Permission.MEMBER_VIEW, via="residential_unit__")
    ).select_related("member", "work_unit", "residential_unit")


def registration_get(*, actor: User, pk: int) -> Registration:
    """A registration the actor may see: their own, or one of either side's cells (404 otherwise)."""
    if not actor.is_authenticated:
        raise Http404
    own = Q(member_id=actor.member_id) if actor.member_id else Q(pk__in=[])
    return get_object_or_404(
        Registration.objects.filter(
            own
            | units_q(actor, Permission.MEMBER_VIEW, via="work_unit__")
            | units_q(actor, Permission.MEMBER_VIEW, via="residential_unit__")
        ).select_related("member", "work_unit", "residential_unit"),
        pk=pk,
    )


def own_registrations(*, user: User) -> QuerySet[Registration]:
    if not user.is_authenticated or not user.member_id:
        return Registration.objects.none()
    return Registration.objects.filter(member_id=user.member_id).select_related("work_unit", "residential_unit")


def waiting_for_decision(*, actor: User) -> QuerySet[Registration]:
    """Requests waiting at the residential cells the actor decides for, oldest first."""
    return (
        Registration.objects.filter(
            units_q(actor, Permission.MEMBER_CHANGE, via="residential_unit__"), status=RegistrationStatus.REQUESTED
        )
        .select_related("member", "work_unit", "residential_unit")
        .order_by("requested_on", "pk")
    )


def member_for_registration(*, actor: User, pk: int) -> Member:
    """A member whose registration the actor may request: themselves, or with MEMBER_CHANGE over their cell."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.MEMBER_CHANGE, via="unit__")
    if actor.member_id:
        condition |= Q(pk=actor.member_id)
    return get_object_or_404(Member.objects.filter(condition).select_related("unit"), pk=pk)


def must_register(member: Member) -> bool:
    """Whether the member's cell is one of an agency, a unit or an enterprise (213 applies to them)."""
    return Unit.objects.filter(work_cells_q(), pk=member.unit_id).exists()


def residential_cells_near(member: Member) -> QuerySet[Unit]:
    """The open residential cells of the member's province: where they may ask to register."""
    province = province_committee_of(member.unit)
    return Unit.objects.filter(residential_cells_q(), path__startswith=province.path, closed_on__isnull=True).order_by(
        "path"
    )


def can_decide(*, user: User, registration: Registration) -> bool:
    return has_unit_permission(user, Permission.MEMBER_CHANGE, registration.residential_unit)


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
