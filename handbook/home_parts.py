"""A plain member's home built from parts kept in the shared cache, each under the change tokens of exactly what it
shows (common.freshness.kept_parts), so that a notice to the whole country rebuilds one part, not one page per member.

Shared, one of each kind per unit from the member's cell up to the root, each under the unit's own token (its name),
the token of that kind of what it publishes, and the tree's (a path can be another unit's after a move):
- its notices and news items out now (`NoticesPart`): it lapses when a scheduled one of the unit comes out;
- its documents (`DocumentsPart`);
- its open study assignments (`StudyPart`): it lapses at midnight (assignments open and close by the day).
Shared per cell, under the cell's token and its secretaries' own: the next meeting (it lapses when the meeting ends)
and the secretaries (`CellPart`).
Personal, under the user's token, their record's and the tree's (`Personal`): the record, whether the user is a
plain member, what they have read, opened or finished, their inbox rows, open questions and display preference.

The home's lists (unread notices, news, new documents, study to do) and the inbox badge are composed here from the
unit parts less the member's marks, by the selectors' rules (handbook.selectors.home_for; tests compare the two).
A unit part holds the HOME_PART_DEPTH newest items of each kind, and every notice of the inbox's catch-up window
(notices.selectors.notices_pending_in_inbox); when the answer lies beyond what the parts hold (a member who has read
all of them), that one list is read from the database.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.context_processors import TEAM_AREAS_MEMO, team_area_ids
from accounts.scoping import held_roles, holds_only_member_role_on, units_at_or_above
from common.freshness import (
    DOCUMENTS,
    NOTICES,
    STUDY,
    TREE_TOKEN,
    Kept,
    Part,
    kept_parts,
    member_token,
    unit_token,
    user_token,
)
from common.memo import remember
from library.models import Document, DocumentRead
from library.selectors import documents_new_for
from meetings.selectors import next_meeting_of
from members.choices import CURRENT_STATUSES
from members.selectors import own_member, own_member_known
from notices.choices import NoticeKind
from notices.models import NOTICE_KEY_PREFIX, Notice, NoticeAudience, NoticeRead
from notices.selectors import news_latest, notice_list
from notifications.models import Notification
from notifications.selectors import BADGE_COUNT_CAP, BADGE_MEMO, unread_badge_count
from orgunits.models import Unit
from questions.selectors import my_open_questions
from study.models import StudyAssignment, StudyProgress, StudyQuestion

from .selectors import (
    DISPLAY_PREFERENCE_MEMO,
    HOME_LIST_LENGTH,
    HOME_NEWS_LENGTH,
    Home,
    cell_secretaries,
    display_preference_for,
)

PART_PREFIX = "home-part:"
# The newest items of each kind a unit part holds (and every notice of the inbox's catch-up window).
HOME_PART_DEPTH = 20


@dataclasses.dataclass(frozen=True)
class UnitName:
    name: str


@dataclasses.dataclass(frozen=True)
class NoticeRow:
    """A notice or news item as the home shows it (the template reads the same names as on a Notice)."""

    pk: int
    kind: str
    title: str
    summary: str
    picture: bool
    unit: UnitName
    publish_at: datetime.datetime
    for_everyone: bool  # no audience: else only for the roles named
    for_member_role: bool  # the member role among those named
    is_read: bool = False
    withdrawn_at = None
    is_published = True

    @property
    def order(self) -> tuple:
        return (self.publish_at, self.pk)


@dataclasses.dataclass(frozen=True)
class DocumentRow:
    pk: int
    title: str
    number: str
    issued_on: datetime.date
    published_at: datetime.datetime

    @property
    def order(self) -> tuple:
        return (self.published_at, self.pk)


@dataclasses.dataclass(frozen=True)
class StudyRow:
    pk: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    has_questions: bool
    max_attempts: int


@dataclasses.dataclass(frozen=True)
class Newest:
    """A unit's newest items of one kind, newest first. Unless `complete`, the unit has older ones too: every item
    of it at least as new as the last one here is here."""

    items: tuple
    complete: bool

    @property
    def floor(self) -> tuple | None:
        return None if self.complete else self.items[-1].order


@dataclasses.dataclass(frozen=True)
class NoticesPart:
    unit_name: str
    notices: Newest
    news: Newest
    next_out: datetime.datetime | None  # when the unit's first scheduled notice or news item comes out


@dataclasses.dataclass(frozen=True)
class DocumentsPart:
    documents: Newest


@dataclasses.dataclass(frozen=True)
class StudyPart:
    assignments: tuple  # open today or later, soonest due first
    day: datetime.date


@dataclasses.dataclass(frozen=True)
class CellPart:
    next_meeting: object | None
    secretaries: list


@dataclasses.dataclass(frozen=True)
class Personal:
    member: object | None
    is_plain_member: bool  # no role but the member role on their own cell (today or later)
    holds_member_role: bool
    read_notices: frozenset
    # The user's inbox rows of notices: every one of a notice out since `rows_since`, and every unread one.
    notice_rows: frozenset
    # Unread rows of notices: notice id -> (its unit's path, publish time, withdrawn then).
    unread_notice_rows: dict
    other_unread: int  # unread rows of anything but notices, up to the badge's cap
    opened_documents: frozenset
    progress: dict  # assignment id -> (passed, studied, attempts used), for assignments open on `day` or later
    open_questions: list
    display_preference: object
    team_area_ids: tuple
    day: datetime.date


def _newest(rows: list, make: Callable, more: Callable[[], list] | None = None) -> Newest:
    """`rows`: up to HOME_PART_DEPTH + 1 newest; `more()`: all that must be there besides, when the depth is not
    enough (a window)."""
    complete = len(rows) <= HOME_PART_DEPTH
    rows = rows[:HOME_PART_DEPTH]
    if not complete and more is not None:
        rows = more() or rows
    return Newest(tuple(make(row) for row in rows), complete)


def _ranked(queryset, *, partition: list[str], order: list[str]):
    """The HOME_PART_DEPTH + 1 first rows of each partition (a unit, a unit's kind), in one query."""
    order_by = [F(field[1:]).desc() if field.startswith("-") else F(field) for field in order]
    number = Window(RowNumber(), partition_by=[F(field) for field in partition], order_by=order_by)
    return queryset.annotate(rank=number).filter(rank__lte=HOME_PART_DEPTH + 1).order_by(*partition, *order)


def _notices_parts(paths: list[str]) -> list[NoticesPart | None]:
    """The notices parts of the units at `paths` (None for a path no unit has): four queries for all of them."""
    units = {
        path: (pk, name) for pk, path, name in Unit.objects.filter(path__in=paths).values_list("pk", "path", "name")
    }
    unit_ids = [pk for pk, _name in units.values()]
    now = timezone.now()
    out = Notice.objects.filter(unit_id__in=unit_ids, publish_at__lte=now, withdrawn_at__isnull=True)
    fields = ("pk", "kind", "title", "summary", "picture", "publish_at", "for_everyone", "for_member_role")
    audience = NoticeAudience.objects.filter(notice=OuterRef("pk"))
    out = out.annotate(for_everyone=~Exists(audience), for_member_role=Exists(audience.filter(role=RoleKind.MEMBER)))
    rows: dict[tuple, list] = {}
    ranked = _ranked(out, partition=["unit_id", "kind"], order=["-publish_at", "-id"])
    for unit_id, *values in ranked.values_list("unit_id", *fields):
        rows.setdefault((unit_id, values[1]), []).append(values)
    scheduled = Notice.objects.filter(unit_id__in=unit_ids, publish_at__gt=now, withdrawn_at__isnull=True)
    next_out = dict(
        scheduled.order_by().values("unit_id").annotate(first=Min("publish_at")).values_list("unit_id", "first")
    )
    window = now - datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS)

    def part(path: str) -> NoticesPart | None:
        if path not in units:
            return None
        unit_id, name = units[path]

        def row(values) -> NoticeRow:
            pk, kind, title, summary, picture, publish_at, for_everyone, for_member_role = values
            return NoticeRow(
                pk, kind, title, summary, bool(picture), UnitName(name), publish_at, for_everyone, for_member_role
            )

        notices = rows.get((unit_id, NoticeKind.NOTICE), [])

        def window_notices() -> list:
            """Every notice of the catch-up window, when there are more than the depth (the badge counts them all)."""
            if notices[HOME_PART_DEPTH - 1][5] < window:  # its publish time
                return []
            in_window = out.filter(unit_id=unit_id, kind=NoticeKind.NOTICE, publish_at__gte=window)
            return list(in_window.order_by("-publish_at", "-id").values_list(*fields))

        return NoticesPart(
            unit_name=name,
            notices=_newest(notices, row, window_notices),
            news=_newest(rows.get((unit_id, NoticeKind.NEWS), []), row),
            next_out=next_out.get(unit_id),
        )

    return [part(path) for path in paths]


def _documents_parts(paths: list[str]) -> list[DocumentsPart]:
    documents = Document.objects.filter(unit__path__in=paths, withdrawn_at__isnull=True)
    rows: dict[str, list] = {}
    ranked = _ranked(documents, partition=["unit_id"], order=["-published_at", "-id"])
    for path, *values in ranked.values_list("unit__path", "pk", "title", "number", "issued_on", "published_at"):
        rows.setdefault(path, []).append(values)
    return [DocumentsPart(_newest(rows.get(path, []), lambda values: DocumentRow(*values))) for path in paths]


def _study_parts(paths: list[str]) -> list[StudyPart]:
    today = timezone.localdate()
    assignments = StudyAssignment.objects.filter(unit__path__in=paths, withdrawn_at__isnull=True, ends_on__gte=today)
    assignments = assignments.annotate(has_questions=Exists(StudyQuestion.objects.filter(assignment=OuterRef("pk"))))
    rows: dict[str, list] = {}
    for path, *values in assignments.order_by("ends_on", "pk").values_list(
        "unit__path", "pk", "title", "starts_on", "ends_on", "has_questions", "max_attempts"
    ):
        rows.setdefault(path, []).append(StudyRow(*values))
    return [StudyPart(tuple(rows.get(path, ())), today) for path in paths]


def _personal(user) -> Personal:
    member = own_member(user)
    now = timezone.now()
    today = timezone.localdate()
    rows_since = max(user.date_joined, now - datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS))
    # Every unread row, and the read ones of notices out since `rows_since` (a row is dated when its notice came out
    # or later): one query.
    rows = Notification.objects.filter(user=user).filter(
        Q(read_at__isnull=True) | Q(dedupe_key__startswith=NOTICE_KEY_PREFIX, created_at__gte=rows_since)
    )
    notice_rows, unread_ids, other_unread = set(), [], 0
    for key, read_at in rows.values_list("dedupe_key", "read_at"):
        if not key.startswith(NOTICE_KEY_PREFIX):
            other_unread += 1
            continue
        notice_id = int(key.removeprefix(NOTICE_KEY_PREFIX))
        notice_rows.add(notice_id)
        if read_at is None:
            unread_ids.append(notice_id)
    unread_notices = Notice.objects.filter(pk__in=unread_ids) if unread_ids else Notice.objects.none()
    unread_notice_rows = {
        pk: (path, publish_at, withdrawn_at is not None)
        for pk, path, publish_at, withdrawn_at in unread_notices.values_list(
            "pk", "unit__path", "publish_at", "withdrawn_at"
        )
    }
    progress = {}
    if member is not None:
        progress = {
            assignment_id: (passed_at is not None, studied_at is not None, attempts_used)
            for assignment_id, passed_at, studied_at, attempts_used in StudyProgress.objects.filter(
                member=member, assignment__ends_on__gte=today
            ).values_list("assignment_id", "passed_at", "studied_at", "attempts_used")
        }
    return Personal(
        member=member,
        is_plain_member=member is not None and holds_only_member_role_on(user, member.unit_id),
        holds_member_role=any(role == RoleKind.MEMBER for role, _path in held_roles(user)),
        read_notices=frozenset(NoticeRead.objects.filter(user=user).values_list("notice_id", flat=True)),
        notice_rows=frozenset(notice_rows),
        unread_notice_rows=unread_notice_rows,
        other_unread=min(other_unread, BADGE_COUNT_CAP),
        opened_documents=frozenset(
            DocumentRead.objects.filter(member_id=user.member_id).values_list("document_id", flat=True)
        ),
        progress=progress,
        open_questions=my_open_questions(user=user, limit=HOME_LIST_LENGTH),
        display_preference=display_preference_for(user=user),
        team_area_ids=team_area_ids(user),
        day=today,
    )


def _next_midnight() -> float:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time())).timestamp()


def _published_names(path: str, published: str) -> tuple[str, ...]:
    return (unit_token(path), unit_token(path, published), TREE_TOKEN)


def _unit_parts(paths: list[str], cell_id: int) -> list[Part]:
    parts = []
    for path in paths:
        parts += [
            Part(
                f"{PART_PREFIX}{NOTICES}:{path}",
                _published_names(path, NOTICES),
                arg=path,
                compute_many=_notices_parts,
                until=lambda part: part.next_out.timestamp() if part and part.next_out else None,
            ),
            Part(
                f"{PART_PREFIX}{DOCUMENTS}:{path}",
                _published_names(path, DOCUMENTS),
                arg=path,
                compute_many=_documents_parts,
            ),
            Part(
                f"{PART_PREFIX}{STUDY}:{path}",
                _published_names(path, STUDY),
                arg=path,
                compute_many=_study_parts,
                until=lambda part: _next_midnight(),
            ),
        ]
    parts.append(
        Part(
            f"{PART_PREFIX}cell:{paths[-1]}",
            (unit_token(paths[-1]), TREE_TOKEN),
            lambda: CellPart(next_meeting=next_meeting_of(cell_id), secretaries=cell_secretaries(unit=cell_id)),
            until=lambda part: part.next_meeting.ends_at.timestamp() if part.next_meeting else None,
            more_names=lambda part: [user_token(secretary.pk) for secretary in part.secretaries],
        )
    )
    return parts


def _first(items: Iterable, *, limit: int, keep: Callable, floors: Iterable, reverse: bool = True) -> list | None:
    """The first `limit` items that `keep` accepts, newest first; None when the parts do not hold enough to say
    (an item below some part's floor could be preceded by one of that part's older items, not held)."""
    floor = max((floor for floor in floors if floor is not None), default=None)
    chosen = []
    for item in sorted(items, key=lambda item: item.order, reverse=reverse):
        if floor is not None and item.order < floor:
            return None
        if keep(item):
            chosen.append(item)
            if len(chosen) == limit:
                return chosen
    return chosen if floor is None else None


class Composer:
    """The home's lists from the unit parts less the member's own marks."""

    def __init__(self, user, personal: Personal, notices: dict[str, NoticesPart], documents: list, study: list):
        self.user, self.personal = user, personal
        self.notices, self.documents, self.study = notices, documents, study
        self.now = timezone.now()
        member = personal.member
        self.is_current = member is not None and member.status in CURRENT_STATUSES

    def received(self, row: NoticeRow) -> bool:
        """notices.selectors._received_q, for a plain member: everyone's notices reach a current member and a holder
        of the member role; those for some roles only, a holder of the member role when it is one of them."""
        if row.for_everyone:
            return self.is_current or self.personal.holds_member_role
        return row.for_member_role and self.personal.holds_member_role

    def _rows(self, kind: str) -> tuple[list[NoticeRow], list]:
        newest = [getattr(part, kind) for part in self.notices.values()]
        return [row for part in newest for row in part.items if row.publish_at <= self.now], [n.floor for n in newest]

    def unread_notices(self) -> list:
        rows, floors = self._rows("notices")
        unread = _first(
            rows,
            limit=HOME_LIST_LENGTH,
            floors=floors,
            keep=lambda row: self.received(row) and row.pk not in self.personal.read_notices,
        )
        if unread is None:
            return list(notice_list(actor=self.user).filter(is_read=False).defer("body")[:HOME_LIST_LENGTH])
        return unread

    def latest_news(self) -> list:
        rows, floors = self._rows("news")
        news = _first(rows, limit=HOME_NEWS_LENGTH, floors=floors, keep=self.received)
        if news is None:
            return news_latest(user=self.user, limit=HOME_NEWS_LENGTH)
        return [dataclasses.replace(row, is_read=row.pk in self.personal.read_notices) for row in news]

    def new_documents(self) -> list:
        documents = _first(
            [row for part in self.documents for row in part.documents.items],
            limit=HOME_LIST_LENGTH,
            floors=[part.documents.floor for part in self.documents],
            keep=lambda row: row.pk not in self.personal.opened_documents,
        )
        if documents is None:
            return documents_new_for(user=self.user, limit=HOME_LIST_LENGTH)
        return documents

    def study_to_do(self) -> list:
        """study.selectors.own_assignments_to_do: open today, not finished (passed; or studied when there is no quiz;
        or every attempt used), soonest due first."""
        if not self.is_current:
            return []
        today = timezone.localdate()

        def to_do(row: StudyRow) -> bool:
            passed, studied, attempts = self.personal.progress.get(row.pk, (False, False, 0))
            finished = passed or (studied and not row.has_questions) or attempts >= row.max_attempts
            return row.starts_on <= today <= row.ends_on and not finished

        rows = [row for part in self.study for row in part.assignments if to_do(row)]
        return sorted(rows, key=lambda row: (row.ends_on, row.pk))[:HOME_NEWS_LENGTH]

    def badge(self) -> int:
        """notifications.selectors.unread_count, capped: unread rows, less those of notices withdrawn since, and the
        notices in the inbox without a row yet (notices.selectors.notices_pending_in_inbox)."""
        personal = self.personal
        rows, _floors = self._rows("notices")
        listed = {row.pk: row for row in rows}
        count = personal.other_unread
        for notice_id, (path, publish_at, was_withdrawn) in personal.unread_notice_rows.items():
            if was_withdrawn:
                continue  # a withdrawal is never undone
            if notice_id in listed:
                count += 1
                continue
            part = self.notices.get(path)
            if part is None or (part.notices.floor is not None and (publish_at, notice_id) < part.notices.floor):
                # Older than what the parts hold, or of a unit above another cell: only the database knows.
                return unread_badge_count(user=self.user)
            # Where its unit's part holds every notice out, it is missing only when withdrawn since.
        since = max(self.user.date_joined, self.now - datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS))
        for row in listed.values():
            if (
                row.publish_at >= since
                and row.pk not in personal.notice_rows
                and row.pk not in personal.read_notices
                and self.received(row)
            ):
                count += 1
        return min(count, BADGE_COUNT_CAP)


def _guard(kept: Iterable[Kept]) -> tuple[dict[str, str], float]:
    """The tokens the page assembled from `kept` stands for ({} if any part is unguarded) and when it lapses."""
    tokens, until = {}, float("inf")
    for part in kept:
        if not part.tokens:
            return {}, min(until, part.until)
        tokens |= part.tokens
        until = min(until, part.until)
    return tokens, until


@dataclasses.dataclass(frozen=True)
class Versions:
    """The versions of the kept parts a home was assembled from (common.freshness.Kept.version; "" for a part the
    cache could not guard): a fragment rendered from some parts is kept under theirs (handbook/home_fragments.py)."""

    personal: str
    cell: str  # the cell's next meeting and secretaries
    cell_notices: str  # the cell's notices part, which gives the cell's name as it is now
    # The parts of each kind of every unit from the cell up to the root.
    notices: tuple[str, ...]
    documents: tuple[str, ...]
    study: tuple[str, ...]


def home_from_parts(user) -> tuple[Home, dict[str, str], float, Versions] | None:
    """The home of a plain member (with a record) assembled from kept parts, with the tokens the page stands for,
    when it lapses and the versions of its parts; None for anyone else (their home is built from the database)."""
    if not user.member_id:
        return None
    seconds = settings.HOME_CACHE_SECONDS
    personal_key = f"{PART_PREFIX}user:{user.pk}"
    personal_kept = kept_parts(
        [
            Part(
                personal_key,
                (user_token(user.pk), member_token(user.member_id), TREE_TOKEN),
                lambda: _personal(user),
                until=lambda personal: _next_midnight(),
            )
        ],
        seconds=seconds,
    )[personal_key]
    personal: Personal = personal_kept.value
    if not personal.is_plain_member:
        return None
    member = personal.member
    own_member_known(user, member)
    remember(user, DISPLAY_PREFERENCE_MEMO, personal.display_preference)
    remember(user, TEAM_AREAS_MEMO, personal.team_area_ids)
    paths = units_at_or_above([member.unit.path])
    kept = kept_parts(_unit_parts(paths, member.unit_id), seconds=seconds)
    notices = {path: kept[f"{PART_PREFIX}{NOTICES}:{path}"].value for path in paths}
    notices = {path: part for path, part in notices.items() if part is not None}
    composer = Composer(
        user,
        personal,
        notices,
        [kept[f"{PART_PREFIX}{DOCUMENTS}:{path}"].value for path in paths],
        [kept[f"{PART_PREFIX}{STUDY}:{path}"].value for path in paths],
    )
    cell: CellPart = kept[f"{PART_PREFIX}cell:{paths[-1]}"].value
    # Names as the units' parts have them now (a unit renamed renews its token, not the member's).
    names = {path: part.unit_name for path, part in notices.items()}
    member.unit.name = names.get(member.unit.path, member.unit.name)
    for question in personal.open_questions:
        question.unit.name = names.get(question.unit.path, question.unit.name)
    badge = composer.badge()
    remember(user, BADGE_MEMO, badge)
    home = Home(
        member=member,
        secretaries=cell.secretaries,
        next_meeting=cell.next_meeting if composer.is_current else None,
        unread_notifications=badge,
        unread_notices=composer.unread_notices(),
        latest_news=composer.latest_news(),
        study_to_do=composer.study_to_do(),
        new_documents=composer.new_documents(),
        open_questions=personal.open_questions,
    )
    tokens, until = _guard([personal_kept, *kept.values()])
    versions = Versions(
        personal=personal_kept.version,
        cell=kept[f"{PART_PREFIX}cell:{paths[-1]}"].version,
        cell_notices=kept[f"{PART_PREFIX}{NOTICES}:{paths[-1]}"].version,
        notices=tuple(kept[f"{PART_PREFIX}{NOTICES}:{path}"].version for path in paths),
        documents=tuple(kept[f"{PART_PREFIX}{DOCUMENTS}:{path}"].version for path in paths),
        study=tuple(kept[f"{PART_PREFIX}{STUDY}:{path}"].version for path in paths),
    )
    return home, tokens, until, versions
