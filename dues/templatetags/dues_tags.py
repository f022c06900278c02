from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def dong(value) -> str:
    """A sum in whole đồng with the language's thousands separator: 49.654 đ (Vietnamese), 49,654 đ (English)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(value, decimal_pos=0, force_grouping=True)} đ"
