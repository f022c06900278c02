from django import template

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths

register = template.Library()


@register.filter
def works_on_reports(user) -> bool:
    """Whether the navigation shows Reports: the user files or manages reports, or is in a village's support team."""
    if not user.is_authenticated:
        return False
    if granted_unit_paths(user, Permission.REPORT_SUBMIT) or granted_unit_paths(user, Permission.REPORT_MANAGE):
        return True
    return user.team_memberships.filter(team__area__isnull=False).exists()
