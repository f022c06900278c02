"""Reads of users and their roles."""

from django.db.models import QuerySet

from .models import RoleAssignment


def user_active_roles(*, user) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user).select_related("unit").order_by("unit__path", "role")
