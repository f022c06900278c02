"""The member's home rendered card by card, a plain member's cards and page shell kept rendered between requests.

Rendering the page was two thirds of what a home assembled from kept parts cost (benchmarks/README.md, "4, parts").
Two kinds of rendered HTML are kept, in this process's memory (an entry can never be stale, so nothing needs to
reach other processes to drop it; a bounded number, the least recently used dropped first, HOME_FRAGMENTS_KEPT):

- cards rendered from kept parts, under the versions of those parts (common.freshness.Kept.version, drawn anew each
  time a part is computed, so whenever any of its change tokens is renewed or it lapses): the record and "My cell"
  cards per member and language (the member's own part, their cell's part and the cell's notices part, which gives
  the cell's name), the next meeting per cell and language, the news per chain of units, language and which items
  the member has read;
- what depends only on the language and the user's flags (display modes, the menu's sections, Web Push on): the
  page shell (head, menu and footer, with the title) and the display form. Their CSRF token, the page's path (the
  forms' `next`) and the inbox link with its badge are each request's own: they are rendered as marks (random in
  each process, so no text shown on a page can hold one) and spliced in each time. A page with a message to show
  has its shell rendered, never kept.

The cards listing what the member has not read, opened or studied, their questions and the badge are composed per
request and rendered from small templates. Everyone else's home is rendered by the same templates, nothing kept.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.context_processors import Navigation
from notifications.channels import push_enabled
from notifications.templatetags.notification_tags import notifications_link

from .home_parts import DocumentRow, NoticeRow, StudyRow, Versions
from .selectors import Home, display_preference_for

_MARK = secrets.token_hex(16)
CSRF_MARK = f"csrf{_MARK}"
PATH_MARK = f"path{_MARK}"
INBOX_MARK = f"inbox{_MARK}"
BODY_MARK = f"body{_MARK}"


class _Recent:
    """The most recently used rendered pieces, by key."""

    def __init__(self) -> None:
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], str]) -> str:
        size = settings.HOME_FRAGMENTS_KEPT
        if size <= 0:
            return make()
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()
        with self._lock:
            self._items[key] = made
            while len(self._items) > size:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


recent = _Recent()


def _card(name: str, context: dict) -> str:
    return get_template(f"handbook/home/_{name}.html").render(context)


class _MarkedRequest:
    """What the shell's templates read of the request, its path a mark."""

    def __init__(self, user) -> None:
        self.user = user

    def get_full_path(self) -> str:
        return PATH_MARK


def _splice(html: str, *, csrf_token: str, path: str) -> str:
    return html.replace(CSRF_MARK, csrf_token).replace(PATH_MARK, escape(path))


def _display_card(request, display_form: Callable, *, csrf_token: str, keep: bool) -> str:
    if not keep:
        return _card("display", {"form": display_form(), "csrf_token": csrf_token, "request": request})
    preference = display_preference_for(user=request.user)
    key = ("display", get_language(), preference.is_large_text, preference.is_high_contrast)
    marked = recent.get(
        key,
        lambda: _card("display", {"form": display_form(), "csrf_token": CSRF_MARK, "request": _MarkedRequest(None)}),
    )
    return _splice(marked, csrf_token=csrf_token, path=request.get_full_path())


def home_body(request, home: Home, display_form: Callable, *, csrf_token: str, versions: Versions | None) -> str:
    """The home's cards, those rendered from kept parts (`versions` given) kept under the parts' versions and what
    the member's own marks select of them."""
    language = get_language()

    def kept(name: str, sources: tuple[str, ...], shown: tuple, context: dict) -> str:
        """Card `name` rendered from `context`; kept under the versions of the parts it shows (`sources`) and
        `shown` (which of their items, and the member's flags) when it comes from kept parts only."""
        if not sources or not all(sources):  # not from kept parts, or a part the cache could not guard
            return _card(name, context)
        return recent.get((name, language, *sources, shown), lambda: _card(name, context))

    def from_parts(rows: list, row_type: type, sources: tuple[str, ...]) -> tuple[str, ...]:
        """`sources` when every row of the list comes from those parts (not from the database: see Composer)."""
        return sources if all(isinstance(row, row_type) for row in rows) else ()

    def pks(rows: list) -> tuple:
        return tuple(row.pk for row in rows)

    member = home.member
    if versions is None:
        versions = Versions("", "", "", (), (), ())
    cards = [
        kept(
            "record",
            (versions.personal, versions.cell, versions.cell_notices),
            (),
            {"member": member, "secretaries": home.secretaries},
        ),
        kept("meeting", (versions.cell,), (home.next_meeting is not None,), {"meeting": home.next_meeting}),
        kept(
            "notices",
            from_parts(home.unread_notices, NoticeRow, versions.notices),
            (pks(home.unread_notices), home.unread_notifications),
            {"unread_notices": home.unread_notices, "badge": home.unread_notifications},
        ),
        kept(
            "news",
            from_parts(home.latest_news, NoticeRow, versions.notices),
            tuple((row.pk, row.is_read) for row in home.latest_news),
            {"latest_news": home.latest_news},
        ),
        kept(
            "study",
            from_parts(home.study_to_do, StudyRow, versions.study),
            pks(home.study_to_do),
            {"study_to_do": home.study_to_do},
        ),
        kept(
            "documents",
            from_parts(home.new_documents, DocumentRow, versions.documents),
            pks(home.new_documents),
            {"new_documents": home.new_documents},
        ),
        # The member's own questions, with their units' names as the notices parts have them.
        kept(
            "questions",
            (versions.personal, *versions.notices) if versions.personal else (),
            (pks(home.open_questions), bool(member)),
            {"open_questions": home.open_questions, "member": member},
        ),
        _display_card(request, display_form, csrf_token=csrf_token, keep=bool(versions.personal)),
    ]
    return "\n".join(cards)


def _navigation_key(user) -> tuple:
    """Everything the page shell shows that depends on the user (templates/base.html, handbook_head)."""
    nav = Navigation(user)
    preference = display_preference_for(user=user)
    return (
        user.is_authenticated,
        bool(user.member_id),
        nav.can_view_members,
        nav.can_change_members,
        nav.shows_rollout,
        nav.answers_questions,
        nav.works_on_reports,
        preference.is_large_text,
        preference.is_high_contrast,
        push_enabled(),
    )


def _shell(request, csrf_token: str) -> tuple[str, str]:
    """The page around the body, before and after it, with this request's CSRF token, path and inbox link."""
    user = request.user

    def make() -> str:
        marked = {
            "body": BODY_MARK,
            "csrf_token": CSRF_MARK,
            "request": _MarkedRequest(user),
            "inbox_link": mark_safe(INBOX_MARK),  # noqa: S308 - a mark of letters and digits
            "messages": (),
        }
        return render_to_string("handbook/home.html", marked, request=request)

    shell = recent.get(("shell", get_language(), *_navigation_key(user)), make)
    shell = _splice(shell, csrf_token=csrf_token, path=request.get_full_path())
    shell = shell.replace(INBOX_MARK, notifications_link(user))
    before, after = shell.split(BODY_MARK)
    return before, after


def render_home(request, home: Home, display_form: Callable, versions: Versions | None = None) -> HttpResponse:
    """The home page; a plain member's assembled from kept parts (`versions` given) from kept cards and shell."""
    # One masked token for every form of the page, as a page rendered whole has.
    csrf_token = get_token(request)
    body = home_body(request, home, display_form, csrf_token=csrf_token, versions=versions)
    if versions is None or not settings.HOME_FRAGMENTS_KEPT or len(get_messages(request)):
        context = {"body": mark_safe(body), "csrf_token": csrf_token}  # noqa: S308 - rendered templates
        return render(request, "handbook/home.html", context)
    before, after = _shell(request, csrf_token)
    return HttpResponse(before + body + after)
