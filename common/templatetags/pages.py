"""The query string of another page of a list: `{% page_query number parameter %}`, used by templates/_pagination.html."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number: int, parameter: str = "") -> str:
    """The request's query string with `parameter` ("page" when empty) set to `number`: what `{% querystring %}`
    gives, for a parameter named by a variable (a screen with two lists pages each by its own parameter)."""
    return querystring(context, **{parameter or "page": number})
