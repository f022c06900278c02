from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission
from audit.choices import ChangeAction
from audit.services import model_create, model_update
from common.dates import today
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .choices import RegistrationStatus
from .models import Feedback, Registration
from .rules import residential_cells_q, work_cells_q


@transaction.atomic
def registration_request(*, actor: User, member: Member, residential_unit: Unit) -> Registration:
    """The member, or whoever changes records of the member's cell, asks the residential cell to register them."""
    if actor.member_id != member.pk and not has_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit):
        raise PermissionDenied(_("You do not have permission for this unit."))
    if member.status not in CURRENT_STATUSES or not Unit.objects.filter(work_cells_q(), pk=member.unit_id).exists():
        raise ValidationError(
            _("Only members of a cell of an agency, a unit or an enterprise register where they live.")
        )
    if not Unit.objects.filter(residential_cells_q(), pk=residential_unit.pk, closed_on__isnull=True).exists():
        raise ValidationError(_("Choose the open cell of a village or a residential group."))
    registration = Registration(
        member=member,
        work_unit_id=member.unit_id,
        residential_unit=residential_unit,
        requested_on=today(),
        requested_by=actor,
    )
    return model_create(registration, actor=actor, unit=residential_unit)


def _decide(*, actor: User, registration: Registration, data: dict) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, registration.residential_unit)
    if registration.status != RegistrationStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    return model_update(
        registration,
        data={**data, "decided_on": today()},
        actor=actor,
        action=ChangeAction.STATUS,
        unit=registration.residential_unit,
    )


@transaction.atomic
def registration_accept(*, actor: User, registration: Registration) -> Registration:
    return _decide(actor=actor, registration=registration, data={"status": RegistrationStatus.ACCEPTED})


@transaction.atomic
def registration_refuse(*, actor: User, registration: Registration, reason: str) -> Registration:
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for the refusal.")})
    return _decide(
        actor=actor,
        registration=registration,
        data={"status": RegistrationStatus.REFUSED, "refusal_reason": reason.strip()},
    )


@transaction.atomic
def feedback_give(
    *,
    actor: User,
    registration: Registration,
    year: int,
    keeps_contact: bool,
    sets_example: bool,
    takes_part: bool,
    remarks: str = "",
) -> Feedback:
    """The residential cell's yearly remarks on a member registered with it."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, registration.residential_unit)
    if registration.status != RegistrationStatus.ACCEPTED:
        raise ValidationError(_("Only a member registered with the cell gets its feedback."))
    feedback = Feedback(
        registration=registration,
        year=year,
        keeps_contact=keeps_contact,
        sets_example=sets_example,
        takes_part=takes_part,
        remarks=remarks,
        given_on=today(),
    )
    return model_create(feedback, actor=actor, unit=registration.residential_unit)
