"""Template filters of the roster import: whether to show the way in."""

from django import template

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths

register = template.Library()


@register.filter
def can_import_members(user) -> bool:
    """The user may change members somewhere, so may import a roster there."""
    return bool(user and user.is_authenticated and granted_unit_paths(user, Permission.MEMBER_CHANGE))
