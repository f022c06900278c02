"""Personal numbers shown in lists only in part: enough to tell two people apart, not enough to copy."""

from django import template

register = template.Library()


@register.filter
def masked(value) -> str:
    """ "0912345678" → "09••••••78"; a citizen ID keeps its first three and last two digits the same way."""
    text = "".join(str(value or "").split())
    if len(text) <= 5:
        return "•" * len(text)
    head = 3 if len(text) >= 12 else 2
    return text[:head] + "•" * (len(text) - head - 2) + text[-2:]
