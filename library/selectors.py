"""Reads of the library. Every query a user can reach starts from `documents_visible_to`."""

import dataclasses
import datetime
import os

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import SCOPE_MEMO, granted_unit_paths, has_unit_permission, held_roles, published_above_q, units_q
from common.dates import end_of_day
from common.memo import memoized_on
from common.text import fold_for_search
from members.choices import CURRENT_STATUSES
from members.selectors import current_member_counts, own_member
from orgunits.models import Unit

from .models import Bookmark, Document, DocumentRead


@dataclasses.dataclass(frozen=True)
class Places:
    """Where a user stands in the party tree: the units they hold roles on, and the cell they attend."""

    role_paths: tuple[str, ...]
    member_path: str | None

    @property
    def is_empty(self) -> bool:
        return not self.role_paths and not self.member_path


def _places(user) -> Places:
    if not user or not user.is_authenticated or not user.is_active:
        return Places((), None)

    def read() -> Places:
        # The user's roles and record as this request has already read them (accounts.scoping).
        role_paths = {path for _role, path in held_roles(user)}
        member = own_member(user)
        return Places(tuple(sorted(role_paths)), member.unit.path if member is not None else None)

    return memoized_on(user, f"{SCOPE_MEMO}library_places", read)


def _reach_q(places: Places) -> Q:
    """Documents published to a unit whose subtree holds one of the user's places, or below a unit they hold a role on."""
    if places.is_empty:
        return Q(pk__in=[])
    own_places = [*places.role_paths, *([places.member_path] if places.member_path else [])]
    # Officials above: a role covers the documents published anywhere in its unit's subtree.
    return published_above_q(own_places, subtrees=places.role_paths)


def documents_visible_to(user) -> QuerySet[Document]:
    """The documents `user` may read. Withdrawn ones stay visible only to those who may publish on their unit."""
    places = _places(user)
    if places.is_empty:
        return Document.objects.none()
    current = Q(withdrawn_at__isnull=True) | units_q(user, Permission.CONTENT_PUBLISH, via="unit__")
    return Document.objects.filter(_reach_q(places)).filter(current)


def document_search_q(text: str) -> Q:
    """Words typed with or without diacritics, in any case, each found in the number, title, issuing body or summary."""
    condition = Q()
    for word in fold_for_search(text).split():
        condition &= Q(search_text__contains=word)
    return condition


def document_list(
    *,
    actor: User,
    search: str = "",
    kind: str = "",
    year: int | None = None,
    issuing_body: str = "",
) -> QuerySet[Document]:
    documents = documents_visible_to(actor).select_related("unit")
    if search:
        documents = documents.filter(document_search_q(search))
    if kind:
        documents = documents.filter(kind=kind)
    if year:
        documents = documents.filter(issued_on__year=year)
    if issuing_body:
        documents = documents.filter(issuing_body=issuing_body)
    return documents.annotate(is_bookmarked=Exists(Bookmark.objects.filter(user=actor, document=OuterRef("pk"))))


def document_get(*, actor: User, pk: int) -> Document:
    """A document the actor may read, or 404: outside their reach it does not exist."""
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(documents_visible_to(actor).select_related("unit", "published_by"), pk=pk)


def filter_choices(*, actor: User) -> tuple[list[int], list[str]]:
    """The years of issue and the issuing bodies among the documents the actor may read, for the list's filters."""
    documents = documents_visible_to(actor).order_by()
    years = sorted({day.year for day in documents.dates("issued_on", "year")}, reverse=True)
    bodies = list(documents.values_list("issuing_body", flat=True).distinct().order_by("issuing_body")[:200])
    return years, bodies


def documents_new_for(*, user, limit: int = 5) -> list[Document]:
    """The newest documents `user` may read and (as a member) has not opened yet, for the home page."""
    # The home lists titles: a document's summary and full text stay in the database.
    documents = (
        documents_visible_to(user).filter(withdrawn_at__isnull=True).select_related("unit").defer("summary", "text")
    )
    if getattr(user, "member_id", None):
        documents = documents.exclude(
            Exists(DocumentRead.objects.filter(member_id=user.member_id, document=OuterRef("pk")))
        )
    return list(documents.order_by("-published_at", "-id")[:limit])


def is_bookmarked(*, user, document: Document) -> bool:
    return Bookmark.objects.filter(user=user, document=document).exists()


def bookmarked_documents(*, user) -> QuerySet[Document]:
    """The user's bookmarks among the documents they may still read, most recently kept first."""
    return (
        documents_visible_to(user)
        .filter(bookmarks__user=user)
        .select_related("unit")
        .order_by("-bookmarks__created_at", "-id")
    )


def read_of(*, user, document: Document) -> DocumentRead | None:
    if not getattr(user, "member_id", None):
        return None
    return DocumentRead.objects.filter(document=document, member_id=user.member_id).first()


def can_see_read_rates(*, user, document: Document) -> bool:
    """Who read it, counted per unit, is for those who may see the member records of the publishing unit."""
    return has_unit_permission(user, Permission.MEMBER_VIEW, document.unit)


def can_manage(*, user, document: Document) -> bool:
    return has_unit_permission(user, Permission.CONTENT_PUBLISH, document.unit)


@dataclasses.dataclass(frozen=True)
class ReadRate:
    unit: Unit
    readers: int
    members: int

    @property
    def percent(self) -> float | None:
        """Readers per hundred current members, one decimal; None for a unit without members."""
        return round(100 * self.readers / self.members, 1) if self.members else None


def _reader_counts(document: Document, units: list[Unit]) -> dict[int, int]:
    """Current members in each unit's subtree who opened the document: one grouped query per tree depth present."""
    counts: dict[int, int] = {}
    by_path_length: dict[int, dict[str, Unit]] = {}
    for unit in units:
        by_path_length.setdefault(len(unit.path), {})[unit.path] = unit
    for length, units_by_path in by_path_length.items():
        common_prefix = os.path.commonprefix(list(units_by_path))
        common_prefix = common_prefix[: len(common_prefix) - len(common_prefix) % Unit.steplen]
        rows = (
            DocumentRead.objects.filter(
                document=document,
                member__status__in=CURRENT_STATUSES,
                member__unit__path__startswith=common_prefix,
            )
            .annotate(prefix=Substr("member__unit__path", 1, length))
            .values("prefix")
            .annotate(total=Count("member_id"))
        )
        for row in rows:
            if row["prefix"] in units_by_path:
                counts[units_by_path[row["prefix"]].pk] = row["total"]
    return {unit.pk: counts.get(unit.pk, 0) for unit in units}


def read_rate_unit(*, document: Document, code: str | None) -> Unit:
    """The unit whose read rates to show: the publishing unit, or a unit below it named by code (else 404)."""
    if not code:
        return document.unit
    return get_object_or_404(Unit, code=code, path__startswith=document.unit.path)


def read_rates(*, document: Document, unit: Unit | None = None) -> tuple[ReadRate, list[ReadRate]]:
    """Members who opened the document over current members, for a unit (the publishing unit by default) and
    each of its open child units.

    A fixed number of queries whatever the number of children: the children, then members and readers
    grouped by path prefix (one query each per tree depth, two depths here).
    """
    unit = unit or document.unit
    # By path rather than treebeard's get_children, which trusts a possibly stale `numchild` on the instance.
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, closed_on__isnull=True).order_by("path")
    )
    units = [unit, *children]
    members = current_member_counts(units)
    readers = _reader_counts(document, units)
    rates = [ReadRate(unit=item, readers=readers[item.pk], members=members[item.pk]) for item in units]
    return rates[0], rates[1:]


def publishing_units(*, actor: User) -> QuerySet[Unit]:
    """Units the actor may publish to, for the form: the units of their roles and the units right below them.

    A short list even for the central level (its provinces); deeper units publish through their own officers.
    """
    paths = granted_unit_paths(actor, Permission.CONTENT_PUBLISH)
    if not paths:
        return Unit.objects.none()
    condition = Q(path__in=paths)
    for path in paths:
        condition |= Q(path__startswith=path, depth=len(path) // Unit.steplen + 1)
    return Unit.objects.filter(condition, closed_on__isnull=True).order_by("path")


def documents_published_count(*, unit: Unit, as_of: datetime.date) -> int:
    """Documents published to the unit's subtree by the end of `as_of` and not withdrawn by then."""
    cut_off = end_of_day(as_of)
    return (
        Document.objects.filter(unit__path__startswith=unit.path, published_at__lte=cut_off)
        .exclude(withdrawn_at__lte=cut_off)
        .count()
    )
