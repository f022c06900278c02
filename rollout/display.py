"""Turning figures into what a page or a spreadsheet shows."""

import datetime

from django.utils.translation import gettext as _

from .selectors import Figures

# The charts are drawn on the server as SVG (no script: the CSP stays strict) in a fixed coordinate space that the
# page scales to its width. They read without colour: the line is solid, the target dashed, lagging bars hatched,
# and every figure is also written as text.
CHART_WIDTH, CHART_HEIGHT = 340, 210
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 38, 16, 12, 30
BAR_ROW, BAR_HEIGHT, BAR_LABEL_WIDTH = 40, 14, 56
# The laggards a phone shows before "show more": ten bars are about 400 px tall at 360 px wide.
BARS_SHOWN = 10


def _percent_text(value) -> str:
    """92.1 → "92,1%" (Vietnamese decimal comma); None → "–"."""
    return "–" if value is None else f"{float(value):.1f}%".replace(".", ",")


def trend_chart(trend: list[tuple[datetime.date, int, int]], *, target: int | None = None) -> dict:
    """A line of % of members activated per day, with axes: 0–100 % up the side, a date every week along the
    bottom, the target as a dashed line and the last value written beside the last point."""
    width, height = CHART_WIDTH, CHART_HEIGHT
    plot_width = width - PLOT_LEFT - PLOT_RIGHT
    plot_height = height - PLOT_TOP - PLOT_BOTTOM
    bottom = PLOT_TOP + plot_height

    def y_of(percent: float) -> float:
        return round(bottom - min(max(percent, 0.0), 100.0) / 100 * plot_height, 1)

    chart = {
        "width": width,
        "height": height,
        "left": PLOT_LEFT,
        "right": width - PLOT_RIGHT,
        "top": PLOT_TOP,
        "bottom": bottom,
        "y_ticks": [{"y": y_of(percent), "label": f"{percent}%"} for percent in (0, 25, 50, 75, 100)],
        "x_ticks": [],
        "points": "",
        "target": None,
        "last": None,
    }
    if target is not None:
        chart["target"] = {"y": y_of(target), "label": f"{target}%"}
    if not trend:
        return chart
    step = plot_width / max(len(trend) - 1, 1)
    points = []
    for index, (day, activated, members) in enumerate(trend):
        share = activated / members * 100 if members else 0.0
        x = round(PLOT_LEFT + index * step, 1)
        points.append((x, y_of(share), share))
        # A tick every seven days counted back from the last day, a date on every other one (a phone is narrow);
        # the last day is always labelled.
        days_back = len(trend) - 1 - index
        if days_back % 7 == 0:
            anchor = "end" if days_back == 0 else "middle"
            label = f"{day:%d/%m}" if days_back % 14 == 0 else ""
            chart["x_ticks"].append({"x": x, "label": label, "anchor": anchor})
    chart["points"] = " ".join(f"{x},{y}" for x, y, _share in points)
    last_x, last_y, last_share = points[-1]
    chart["last"] = {"x": last_x, "y": last_y, "label": _percent_text(last_share), "label_y": max(last_y - 6, 10)}
    chart["first_day"], chart["last_day"] = trend[0][0], trend[-1][0]
    return chart


def bar_chart(children: list[Figures], *, target: int, limit: int | None = BARS_SHOWN) -> dict:
    """One bar per child unit: the % of its members activated against the target (a dashed mark). Units below
    the target are hatched, so the laggards stand out in print too; the units come in the order given (laggards
    first)."""
    # Furthest behind first, by the share the bars show (the table beside sorts by the share of eligible members).
    ordered = sorted(
        children, key=lambda figures: -1 if figures.percent_of_members is None else figures.percent_of_members
    )
    shown = ordered if limit is None else ordered[:limit]
    bar_width = CHART_WIDTH - BAR_LABEL_WIDTH
    rows = []
    for index, figures in enumerate(shown):
        percent = figures.percent_of_members
        share = float(percent) if percent is not None else 0.0
        top = index * BAR_ROW
        rows.append(
            {
                "name": figures.unit.name if len(figures.unit.name) <= 48 else figures.unit.name[:47] + "…",
                "code": figures.unit.code,
                "name_y": top + 13,
                "bar_y": top + 19,
                "width": round(min(share, 100.0) / 100 * bar_width, 1),
                "value_x": bar_width + 4,
                "value_y": top + 19 + BAR_HEIGHT - 3,
                "label": _percent_text(percent),
                "is_lagging": percent is None or share < target,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * BAR_ROW,
        "bar_width": bar_width,
        "bar_height": BAR_HEIGHT,
        "target_x": round(min(target, 100) / 100 * bar_width, 1),
        "rows": rows,
        "hidden": len(children) - len(shown),
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
