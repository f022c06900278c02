"""Residence registration figures for reports (common/indicators.py). The first three count the members of the
WORK cells of a party unit's subtree; the last counts the members registered with the residential cells of a
unit's subtree, or of the cells serving the villages of an administrative area."""

from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .choices import RegistrationStatus
from .models import Feedback, Registration
from .rules import work_cells_q


def _required(target, as_of):
    # Members' status history is in the change log, not in columns: the figure counts today's current members.
    if not isinstance(target, Unit):
        return None
    return Member.objects.filter(
        work_cells_q(via="unit__"), unit__path__startswith=target.path, status__in=CURRENT_STATUSES
    ).count()


def _registered_by(as_of):
    return Registration.objects.filter(status=RegistrationStatus.ACCEPTED, decided_on__lte=as_of)


def _registered(target, as_of):
    if not isinstance(target, Unit):
        return None
    return _registered_by(as_of).filter(work_unit__path__startswith=target.path).count()


def _feedback(target, as_of):
    if not isinstance(target, Unit):
        return None
    return Feedback.objects.filter(
        year=as_of.year, given_on__lte=as_of, registration__work_unit__path__startswith=target.path
    ).count()


def _living_here(target, as_of):
    if isinstance(target, Unit):
        return _registered_by(as_of).filter(residential_unit__path__startswith=target.path).count()
    return _registered_by(as_of).filter(residential_unit__area__path__startswith=target.path).count()


register(
    Indicator(
        key="residence_required",
        label=_("Members who must register where they live"),
        compute=_required,
        help_text=_("Current members of the cells of agencies, units and enterprises (Quy định 213-QĐ/TW)."),
    )
)
register(Indicator(key="residence_registered", label=_("Members registered where they live"), compute=_registered))
register(
    Indicator(
        key="residence_registered_share",
        label=_("Share registered where they live"),
        ratio_of=("residence_registered", "residence_required"),
    )
)
register(Indicator(key="residence_feedback", label=_("Residence feedback received this year"), compute=_feedback))
register(
    Indicator(
        key="residence_living_here",
        label=_("Registered members living in the area"),
        compute=_living_here,
    )
)
