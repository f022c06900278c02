"""Reads of the handbook app: a user's display preferences and what their home shows. Only ever their own."""

import dataclasses

from django.utils import timezone

from accounts.choices import Permission, RoleKind
from accounts.models import RoleAssignment
from accounts.scoping import granted_unit_paths, units_q
from common.memo import memoized_on
from corrections.selectors import queue as correction_queue
from library.selectors import documents_new_for
from meetings.selectors import next_meeting_for
from members.models import Member
from members.selectors import own_member
from notices.selectors import news_latest, notice_list
from notifications.selectors import unread_badge_count
from orgunits.models import Unit
from questions.selectors import my_open_questions, question_queue
from reports.selectors import submissions_overdue_for, submissions_to_file
from rollout.selectors import lagging_cells
from study.selectors import own_assignments_to_do

from .models import DisplayPreference

HOME_LIST_LENGTH = 5
HOME_NEWS_LENGTH = 3
DISPLAY_PREFERENCE_MEMO = "display_preference"


def display_preference_for(*, user) -> DisplayPreference:
    """The user's preferences (defaults when none are saved), read once per request."""
    if not user.is_authenticated:
        return DisplayPreference()
    return memoized_on(
        user,
        DISPLAY_PREFERENCE_MEMO,
        lambda: DisplayPreference.objects.filter(user=user).first() or DisplayPreference(user_id=user.pk),
    )


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
    latest_news: list
    study_to_do: list
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
        latest_news=news_latest(user=user, limit=HOME_NEWS_LENGTH),
        study_to_do=own_assignments_to_do(user=user, limit=HOME_NEWS_LENGTH),
        new_documents=documents_new_for(user=user, limit=HOME_LIST_LENGTH),
        open_questions=my_open_questions(user=user, limit=HOME_LIST_LENGTH),
    )


# The officer's day: what waits for them, each part from its own app's scoping selector.
TODAY_LIST_LENGTH = 5
# A cell is lagging below this share of its members activated.
LAGGING_BELOW = 85


@dataclasses.dataclass
class Today:
    corrections: int
    corrections_overdue: int
    questions: int
    oldest_questions: list
    reports_to_file: list
    reports_to_file_count: int
    reports_overdue: list
    reports_overdue_count: int
    lagging_count: int
    lagging: list
    lagging_below: int
    day: object
    units: list

    @property
    def has_anything(self) -> bool:
        return bool(
            self.corrections
            or self.questions
            or self.reports_to_file_count
            or self.reports_overdue_count
            or self.lagging_count
        )


def is_officer(user) -> bool:
    """Officials (committee staff, cell secretaries): those who see members' records in some unit."""
    return bool(granted_unit_paths(user, Permission.MEMBER_VIEW))


def today_for(*, user) -> Today:
    """What needs doing today in the officer's units: correction requests waiting, questions unanswered, reports
    due or late (to file, and to chase), lagging cells. A fixed number of queries, each part scoped by its app's
    selector."""
    day = timezone.localdate()
    corrections = correction_queue(actor=user)
    questions = question_queue(actor=user)
    # Reports the user's own units file upward; reports of campaigns their units issued are for chasing (below).
    to_file = submissions_to_file(actor=user).exclude(units_q(user, Permission.REPORT_MANAGE, via="campaign__unit__"))
    overdue = submissions_overdue_for(actor=user, day=day)
    lagging_count, lagging = lagging_cells(actor=user, below=LAGGING_BELOW, limit=TODAY_LIST_LENGTH)
    return Today(
        corrections=corrections.count(),
        corrections_overdue=correction_queue(actor=user, overdue=True, day=day).count(),
        questions=questions.count(),
        oldest_questions=list(questions[:3]),
        reports_to_file=list(to_file[:TODAY_LIST_LENGTH]),
        reports_to_file_count=to_file.count(),
        reports_overdue=list(overdue[:TODAY_LIST_LENGTH]),
        reports_overdue_count=overdue.count(),
        lagging_count=lagging_count,
        lagging=lagging,
        lagging_below=LAGGING_BELOW,
        day=day,
        # The units the page covers, each linked to its rollout page.
        units=list(Unit.objects.filter(path__in=granted_unit_paths(user, Permission.ROLLOUT_VIEW)).order_by("path")),
    )
