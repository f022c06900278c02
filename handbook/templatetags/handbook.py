"""`{% handbook_head %}`: what every page's <head> gets from the handbook: the installable app's manifest,
its script, and the stylesheets of the user's display modes (only when a mode is on)."""

from django import template

from ..selectors import display_preference_for

register = template.Library()


@register.inclusion_tag("handbook/_head.html", takes_context=True)
def handbook_head(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    preference = display_preference_for(user=user) if user is not None and user.is_authenticated else None
    return {
        "is_large_text": bool(preference and preference.is_large_text),
        "is_high_contrast": bool(preference and preference.is_high_contrast),
        "is_signed_in": bool(user and user.is_authenticated),
    }
