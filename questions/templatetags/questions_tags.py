from django import template

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths

register = template.Library()


@register.filter
def answers_questions(user) -> bool:
    """Whether the user may answer members' questions somewhere (the navigation shows their queue)."""
    return bool(granted_unit_paths(user, Permission.QUESTION_ANSWER))
