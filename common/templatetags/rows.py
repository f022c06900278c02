"""`{% kept_row "app/_row.html" key_value ... name=value ... %}`: one row of a long table, kept (common/rows.py)."""

from django import template

from common.rows import rendered_row

register = template.Library()


@register.simple_tag
def kept_row(template_name: str, *key, **context) -> str:
    """The row's template rendered with `context`, kept under the values `key`: every value the row shows."""
    return rendered_row(template_name, key, context)
