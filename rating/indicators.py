"""Rating figures for reports (common/indicators.py): for a party unit's subtree, the ratings of the campaigns of
the as-of date's year, as decided by the end of that day. An administrative area has no ratings: None."""

from django.utils.translation import gettext_lazy as _

from common.dates import end_of_day
from common.indicators import Indicator, register
from orgunits.models import Unit

from .choices import Grade, Stage
from .models import MemberRating


def _rows(target, as_of):
    return MemberRating.objects.filter(campaign__year=as_of.year, unit__path__startswith=target.path)


def _decided(grade: str | None):
    def compute(target, as_of):
        if not isinstance(target, Unit):
            return None
        rows = _rows(target, as_of).filter(stage=Stage.DECIDED, decided_at__lte=end_of_day(as_of))
        return (rows.filter(grade=grade) if grade else rows).count()

    return compute


def _excluded(target, as_of):
    if not isinstance(target, Unit):
        return None
    return _rows(target, as_of).filter(stage=Stage.EXCLUDED).count()


register(Indicator(key="rating_rated", label=_("Members rated this year"), compute=_decided(None)))
for _grade in Grade:
    register(Indicator(key=f"rating_{_grade.value}", label=_grade.label, compute=_decided(_grade.value)))
register(
    Indicator(
        key="rating_excellent_share",
        label=_("Share rated “completed duties excellently”"),
        ratio_of=("rating_excellent", "rating_rated"),
    )
)
register(Indicator(key="rating_not_rated", label=_("Members not rated (exempt)"), compute=_excluded))
