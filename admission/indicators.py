"""Admission and probation figures (probation due, late, made official; candidates by stage, admitted) for reports (common/indicators.py), for a party unit's subtree (by the member's
cell). An administrative area has none: None. Cases are opened daily (services.probation_cases_open)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from . import rules
from .choices import OPEN_CANDIDATE_STAGES, CandidateStage, ProbationStage
from .models import Candidate, ProbationCase
from .selectors import late_flags, waiting_q


def _open_on(target, as_of):
    return ProbationCase.objects.filter(waiting_q(), unit__path__startswith=target.path)


def _due(target, as_of):
    """Probation ending within a month of the date (or ended), not decided."""
    if not isinstance(target, Unit):
        return None
    return _open_on(target, as_of).filter(due_on__lte=rules.add_months(as_of, 1)).count()


def _late(target, as_of):
    if not isinstance(target, Unit):
        return None
    dues = list(_open_on(target, as_of).filter(due_on__lt=as_of).values_list("due_on", flat=True))
    return sum(late_flags(dues, as_of))


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


def _candidates(stage: str | None):
    def compute(target, as_of):
        if not isinstance(target, Unit):
            return None
        rows = Candidate.objects.filter(unit__path__startswith=target.path)
        return rows.filter(stage=stage).count() if stage else rows.filter(stage__in=OPEN_CANDIDATE_STAGES).count()

    return compute


register(Indicator(key="admission_candidates", label=_("Candidates for admission followed"), compute=_candidates(None)))
for _stage in OPEN_CANDIDATE_STAGES:
    register(
        Indicator(
            key=f"admission_candidates_{_stage.value}",
            label=format_lazy("{}: {}", _("Candidates"), _stage.label),
            compute=_candidates(_stage.value),
        )
    )
register(
    Indicator(
        key="admission_admitted",
        label=_("Members admitted this year"),
        compute=lambda target, as_of: (
            Candidate.objects.filter(
                unit__path__startswith=target.path,
                stage=CandidateStage.ADMITTED,
                admitted_on__year=as_of.year,
                admitted_on__lte=as_of,
            ).count()
            if isinstance(target, Unit)
            else None
        ),
    )
)
