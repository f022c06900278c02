"""Reads of the procedure guide. An entry written by a committee is for its whole subtree: a member reads those of
the units above their cell, an official also those written below the units of their roles."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, held_roles, published_above_q, units_q
from common.text import fold_for_search
from members.selectors import own_member
from orgunits.models import Unit

from .choices import Topic
from .models import GuideEntry


def entries_visible_to(user: User) -> QuerySet[GuideEntry]:
    if not user.is_authenticated:
        return GuideEntry.objects.none()
    role_paths = sorted({path for _role, path in held_roles(user)})
    member = own_member(user)
    places = [*role_paths, *([member.unit.path] if member is not None else [])]
    if not places:
        return GuideEntry.objects.none()
    return GuideEntry.objects.filter(published_above_q(places, subtrees=role_paths)).select_related("unit")


def entry_list(*, actor: User, search: str = "", topic: str = "") -> QuerySet[GuideEntry]:
    """Entries by topic and title; `search` finds every word typed, with or without diacritics."""
    rows = entries_visible_to(actor)
    if topic in Topic.values:
        rows = rows.filter(topic=topic)
    condition = Q()
    for word in fold_for_search(search).split():
        condition &= Q(search_text__contains=word)
    return rows.filter(condition).order_by("topic", "title", "pk")


def entry_get(*, actor: User, pk: int) -> GuideEntry:
    return get_object_or_404(entries_visible_to(actor), pk=pk)


def writing_units(*, actor: User) -> QuerySet[Unit]:
    """The open units the actor may write guide entries for."""
    return Unit.objects.filter(units_q(actor, Permission.CONTENT_PUBLISH), closed_on__isnull=True).order_by("path")


def can_edit(*, user: User, entry: GuideEntry) -> bool:
    return has_unit_permission(user, Permission.CONTENT_PUBLISH, entry.unit)


def entry_for_edit(*, actor: User, pk: int) -> GuideEntry:
    entry = entry_get(actor=actor, pk=pk)
    if not can_edit(user=actor, entry=entry):
        raise Http404
    return entry
