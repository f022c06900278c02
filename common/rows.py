"""Rows of long tables rendered once and kept in the process, under everything they show.

A ward's page lists its 150 cells, a page of members 50 rows: the template engine takes about a tenth of a
millisecond a row, most of what such a page costs, for rows that hardly ever change. `rendered_row()` renders a row's
template the first time and gives the same text again while its key is the same. The key holds every value the row
shows (with the language and the URL prefix, added here), so the row is a function of its key alone: a change shows
at once, as the changed value makes another key, and a kept row can only be shown where the same values would
render it, whoever asks. Nothing is shared between processes, and nothing needs to be forgotten on a write.
"""

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

# A kilobyte or two a row with its key: under 20 MB a process. Emptied whole when full, so kept simple.
MAX_ROWS = 10_000

_kept: dict[tuple, str] = {}


def rendered_row(template_name: str, key: tuple, context: dict) -> str:
    """`template_name` rendered with `context`: kept under `key`, which must name every value the row shows."""
    full_key = (template_name, get_language(), get_script_prefix(), key)
    html = _kept.get(full_key)
    if html is None:
        if len(_kept) >= MAX_ROWS:
            _kept.clear()
        html = _kept[full_key] = render_to_string(template_name, context)
    return html
