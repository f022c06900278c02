from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    COMMITTEE_OFFICER = "committee_officer", _("Committee officer")
    COMMITTEE_ADMIN = "committee_admin", _("Committee administrator")
    SUPPORTER = "supporter", _("Supporter")
    VIEWER = "viewer", _("Viewer")


class Permission(models.TextChoices):
    """What a role allows over the subtree of the unit it is granted on."""

    UNIT_VIEW = "unit.view", _("See units")
    UNIT_MANAGE = "unit.manage", _("Create, move, close and merge units")
    MEMBER_VIEW = "member.view", _("See member records")
    MEMBER_CHANGE = "member.change", _("Add and change member records")
    ROLE_MANAGE = "role.manage", _("Grant and revoke roles")


_STAFF_VIEW = {Permission.UNIT_VIEW, Permission.MEMBER_VIEW}

# The one table of who may do what. A plain member sees their own unit and their own record
# (through `member.user`), never the registry.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    RoleKind.MEMBER: frozenset({Permission.UNIT_VIEW}),
    RoleKind.VIEWER: frozenset(_STAFF_VIEW),
    RoleKind.SUPPORTER: frozenset(_STAFF_VIEW),
    RoleKind.CELL_SECRETARY: frozenset(_STAFF_VIEW | {Permission.MEMBER_CHANGE}),
    RoleKind.COMMITTEE_OFFICER: frozenset(_STAFF_VIEW | {Permission.MEMBER_CHANGE, Permission.UNIT_MANAGE}),
    RoleKind.COMMITTEE_ADMIN: frozenset(
        _STAFF_VIEW | {Permission.MEMBER_CHANGE, Permission.UNIT_MANAGE, Permission.ROLE_MANAGE}
    ),
}
