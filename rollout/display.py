"""Turning figures into what a page or a spreadsheet shows."""

import datetime

from django.utils.translation import gettext as _

from .selectors import Figures

CHART_WIDTH, CHART_HEIGHT = 320, 120


def trend_chart(trend: list[tuple[datetime.date, int, int]]) -> dict:
    """An inline SVG polyline of % of members activated per day (0–100% from bottom to top)."""
    if not trend:
        return {"points": "", "width": CHART_WIDTH, "height": CHART_HEIGHT}
    step = CHART_WIDTH / max(len(trend) - 1, 1)
    points = []
    for index, (_day, activated, members) in enumerate(trend):
        share = min(activated / members, 1.0) if members else 0.0
        points.append(f"{index * step:.1f},{CHART_HEIGHT - share * CHART_HEIGHT:.1f}")
    return {
        "points": " ".join(points),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first_day": trend[0][0],
        "last_day": trend[-1][0],
    }


def table_headings() -> list[str]:
    return [
        _("Code"),
        _("Unit"),
        _("Members"),
        _("Eligible members"),
        _("Activated"),
        _("Share of all members (%)"),
        _("Share of eligible members (%)"),
        _("Records verified by the member"),
        _("Help sessions"),
    ]


def table_row(figures: Figures) -> list:
    return [
        figures.unit.code,
        figures.unit.name,
        figures.members,
        figures.eligible,
        figures.activated,
        float(figures.percent_of_members) if figures.percent_of_members is not None else None,
        float(figures.percent_of_eligible) if figures.percent_of_eligible is not None else None,
        figures.verified,
        figures.help_sessions,
    ]
