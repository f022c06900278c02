"""Reads of the handbook app: a user's display preferences and what their home shows. Only ever their own."""

import dataclasses

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from accounts.scoping import own_member
from library.selectors import documents_new_for
from meetings.selectors import next_meeting_for
from members.models import Member
from notices.selectors import notice_list
from notifications.selectors import unread_badge_count
from questions.selectors import my_open_questions

from .models import DisplayPreference

HOME_LIST_LENGTH = 5


def display_preference_for(*, user) -> DisplayPreference:
    """The user's preferences (defaults when none are saved), read once per request."""
    if not user.is_authenticated:
        return DisplayPreference()
    if "_display_preference" not in user.__dict__:
        preference = DisplayPreference.objects.filter(user=user).first()
        user.__dict__["_display_preference"] = preference or DisplayPreference(user_id=user.pk)
    return user.__dict__["_display_preference"]


def cell_secretaries(*, unit) -> list:
    """Users holding the cell-secretary role on the cell today."""
    roles = RoleAssignment.objects.active().filter(unit=unit, role=RoleKind.CELL_SECRETARY).select_related("user")
    return [role.user for role in roles.order_by("user__last_name", "user__first_name", "user_id")]


@dataclasses.dataclass
class Home:
    member: Member | None
    secretaries: list
    next_meeting: object | None
    unread_notifications: int
    unread_notices: list
    new_documents: list
    open_questions: list


def home_for(*, user) -> Home:
    """What the member's home shows, each part from its own app's selector; a fixed number of queries
    whatever the member has. The member's record, roles and unread count are read once for the whole page
    (accounts.scoping, notifications.selectors): the parts and the menu share them."""
    member = own_member(user)
    return Home(
        member=member,
        secretaries=cell_secretaries(unit=member.unit) if member else [],
        next_meeting=next_meeting_for(user=user),
        unread_notifications=unread_badge_count(user=user),
        # The list shows titles: the notices' text stays in the database.
        unread_notices=list(notice_list(actor=user).filter(is_read=False).defer("body")[:HOME_LIST_LENGTH]),
        new_documents=documents_new_for(user=user, limit=HOME_LIST_LENGTH),
        open_questions=my_open_questions(user=user, limit=HOME_LIST_LENGTH),
    )
