"""Reads of users and their roles."""

from django.db.models import QuerySet

from orgunits.models import Unit

from .choices import ROLE_PERMISSIONS
from .models import ApiToken, RoleAssignment, User


def user_active_roles(*, user) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user).select_related("unit").order_by("unit__path", "role")


def role_holders(units, permission: str) -> QuerySet[User]:
    """Active users holding `permission` through a role granted on one of `units` itself (not above)."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]
    assignments = RoleAssignment.objects.active().filter(unit__in=units, role__in=roles)
    return User.objects.filter(pk__in=assignments.values("user"), is_active=True)


def nearest_role_holders(unit: Unit, permission: str) -> QuerySet[User]:
    """Who to tell about work waiting at `unit`: the holders of `permission` on the unit itself, else on the
    nearest unit above that has any. Not everyone up the tree."""
    for end in range(len(unit.path), 0, -Unit.steplen):
        users = role_holders(Unit.objects.filter(path=unit.path[:end]), permission)
        if users.exists():
            return users
    return User.objects.none()


def user_api_tokens(*, user) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first: nobody sees or revokes another's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
