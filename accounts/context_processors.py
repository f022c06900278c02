from functools import cached_property

from common.memo import memoized_on

from .choices import Permission
from .scoping import granted_unit_paths, holds_permission_anywhere


class Navigation:
    """Which sections the menu shows to the user. Each answer is worked out on first use, at most once per
    request, from the roles that accounts.scoping reads once per request, and one query for the user's
    support teams (only when the menu asks)."""

    def __init__(self, user):
        self.user = user

    def _granted(self, permission: str) -> bool:
        return bool(granted_unit_paths(self.user, permission))

    @cached_property
    def team_area_ids(self) -> tuple:
        return team_area_ids(self.user)

    @cached_property
    def can_view_members(self) -> bool:
        return self._granted(Permission.MEMBER_VIEW)

    @cached_property
    def can_change_members(self) -> bool:
        """Imports a roster and decides correction requests somewhere."""
        return self._granted(Permission.MEMBER_CHANGE)

    @cached_property
    def shows_rollout(self) -> bool:
        return self.can_view_members or bool(self.team_area_ids)

    @cached_property
    def answers_questions(self) -> bool:
        return self._granted(Permission.QUESTION_ANSWER)

    @cached_property
    def works_on_reports(self) -> bool:
        """Files or manages reports, or is in a village's support team."""
        if holds_permission_anywhere(self.user, Permission.REPORT_SUBMIT) or holds_permission_anywhere(
            self.user, Permission.REPORT_MANAGE
        ):
            return True
        return any(area_id is not None for area_id in self.team_area_ids)


TEAM_AREAS_MEMO = "team_area_ids"


def team_area_ids(user) -> tuple:
    """The areas of the user's support teams (None for a team without one), read once per request (the home's
    kept parts may give them: `common.memo.remember` under TEAM_AREAS_MEMO)."""
    return memoized_on(
        user, TEAM_AREAS_MEMO, lambda: tuple(user.team_memberships.values_list("team__area_id", flat=True))
    )


def roles(request):
    """What the navigation needs to know: which sections this user can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = Navigation(user)
    return {
        "can_view_members": nav.can_view_members,
        "can_manage_units": bool(granted_unit_paths(user, Permission.UNIT_MANAGE)),
        "nav": nav,
    }
