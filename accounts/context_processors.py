from .choices import Permission
from .scoping import granted_unit_paths


def roles(request):
    """What the navigation needs to know: which sections this user can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_view_members": bool(granted_unit_paths(user, Permission.MEMBER_VIEW)),
        "can_manage_units": bool(granted_unit_paths(user, Permission.UNIT_MANAGE)),
    }
