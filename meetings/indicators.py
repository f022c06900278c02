"""Meeting figures for reports (common/indicators.py).

For a party unit's whole subtree, in the calendar year of the as-of date up to the end of that day (the
monthly rule is counted per year): meetings held (minutes or attendance recorded), expected attendances at
held meetings, presences, and the attendance rate (present / expected, summed up the tree before dividing).
An administrative area has no meetings of its own: None.
"""

from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from .selectors import subtree_attendance_counts


def _count(key: str):
    def compute(target, as_of):
        if not isinstance(target, Unit):
            return None
        return subtree_attendance_counts(unit=target, as_of=as_of)[key]

    return compute


register(
    Indicator(
        key="meetings_held",
        label=_("Meetings held"),
        compute=_count("held"),
        help_text=_("Meetings with minutes or attendance recorded, this year up to the date."),
    )
)
register(
    Indicator(
        key="meetings_expected_attendance",
        label=_("Expected attendances at meetings"),
        compute=_count("expected"),
        help_text=_("Members expected at each meeting held, added up."),
    )
)
register(
    Indicator(
        key="meetings_present",
        label=_("Attendances at meetings"),
        compute=_count("present"),
        help_text=_("Members present at each meeting held, added up."),
    )
)
register(
    Indicator(
        key="meetings_attendance_rate",
        label=_("Meeting attendance rate"),
        ratio_of=("meetings_present", "meetings_expected_attendance"),
    )
)
