"""Admission and probation figures for reports (common/indicators.py), for a party unit's subtree (by the member's
cell). An administrative area has none: None. Cases are opened daily (services.probation_cases_open)."""

from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from . import rules
from .choices import OPEN_STAGES, ProbationStage
from .models import ProbationCase


def _open_on(target, as_of):
    return ProbationCase.objects.filter(unit__path__startswith=target.path, stage__in=OPEN_STAGES)


def _due(target, as_of):
    """Probation ending within a month of the date (or ended), not decided."""
    if not isinstance(target, Unit):
        return None
    return _open_on(target, as_of).filter(due_on__lte=rules.add_months(as_of, 1)).count()


def _late(target, as_of):
    if not isinstance(target, Unit):
        return None
    cases = _open_on(target, as_of).filter(due_on__lt=as_of).values_list("due_on", flat=True)
    return sum(1 for due in cases if rules.is_late(due, as_of))


def _made_official(target, as_of):
    if not isinstance(target, Unit):
        return None
    return ProbationCase.objects.filter(
        unit__path__startswith=target.path,
        stage=ProbationStage.OFFICIAL,
        decided_on__year=as_of.year,
        decided_on__lte=as_of,
    ).count()


register(
    Indicator(key="admission_probation_due", label=_("Probationary members due to be made official"), compute=_due)
)
register(Indicator(key="admission_probation_late", label=_("Probation decisions late"), compute=_late))
register(Indicator(key="admission_made_official", label=_("Members made official this year"), compute=_made_official))
