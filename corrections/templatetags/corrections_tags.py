from django import template

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths

register = template.Library()


@register.filter
def decides_corrections(user) -> bool:
    """Whether the user has a queue of correction requests (a `member.change` role somewhere)."""
    return bool(user.is_authenticated and granted_unit_paths(user, Permission.MEMBER_CHANGE))
