"""Library figures for reports (common/indicators.py).

Documents published to a unit or any unit below it by the end of the as-of date, less those withdrawn by
then. An administrative area publishes nothing: None.
"""

from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from .selectors import documents_published_count


def documents_published(target, as_of):
    if not isinstance(target, Unit):
        return None
    return documents_published_count(unit=target, as_of=as_of)


register(
    Indicator(
        key="documents_published",
        label=_("Documents published"),
        compute=documents_published,
        help_text=_("Documents published to the unit and the units below it up to the date, less those withdrawn."),
    )
)
