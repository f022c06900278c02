"""The party tree over the API: list and read units in scope; create, rename, move, close and merge them."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, PageIn, TextIn, fields_named, page_of

from .choices import OrganisationKind, UnitKind
from .contents import headcounts
from .models import AdminArea, Unit
from .selectors import (
    area_get,
    organisation_get,
    organisation_list,
    unit_children,
    unit_get,
    unit_list,
    unit_parent_codes,
)
from .services import organisation_create, unit_close, unit_create, unit_merge, unit_move, unit_update

if TYPE_CHECKING:
    from accounts.models import User

router = Router(tags=["units"])


def _unknown_if_unstorable(code: str, field: str, message: str) -> None:
    # PostgreSQL refuses a NUL character even in a query: no unit or area has one, so say the code is unknown.
    if "\x00" in code:
        raise ValidationError({field: message % {"code": code.replace("\x00", "")}})


def unit_from_code(actor: "User", code: str, *, field: str) -> Unit:
    """A unit named in a request. One the actor cannot see is reported as unknown, like one that does not exist."""
    _unknown_if_unstorable(code, field, _("There is no unit with the code “%(code)s”."))
    try:
        return unit_get(actor=actor, code=code)
    except Http404:
        raise ValidationError({field: _("There is no unit with the code “%(code)s”.") % {"code": code}}) from None


def area_from_code(actor: "User", code: str, *, field: str) -> AdminArea:
    _unknown_if_unstorable(code, field, _("There is no area with the code “%(code)s”."))
    try:
        return area_get(actor=actor, code=code)
    except Http404:
        raise ValidationError({field: _("There is no area with the code “%(code)s”.") % {"code": code}}) from None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    parent_code: str | None
    depth: int
    area_code: str | None
    area_name: str | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    member_count: int = Field(description="Current members in the unit's whole subtree.")

    @staticmethod
    def resolve_area_code(unit) -> str | None:
        return unit.area.code if unit.area else None

    @staticmethod
    def resolve_area_name(unit) -> str | None:
        return unit.area.name if unit.area else None


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class UnitFilter(Schema):
    search: TextIn = Field("", description="Part of the name, or the exact code.")
    kind: UnitKind | None = None


class UnitCreateIn(Schema):
    parent_code: TextIn
    code: TextIn
    name: TextIn
    kind: UnitKind
    area_code: TextIn | None = Field(None, description="The area's code, or its official code (2 or 5 digits).")
    opened_on: datetime.date | None = None
    reason: TextIn = ""


class UnitUpdateIn(Schema):
    name: TextIn | None = None
    area_code: TextIn | None = Field(
        None, description="The area's code, or its official code (2 or 5 digits); null removes the area."
    )
    reason: TextIn = ""


class UnitMoveIn(Schema):
    new_parent_code: TextIn
    reason: TextIn = ""


class UnitCloseIn(Schema):
    closed_on: datetime.date | None = Field(None, description="Today when left out.")
    reason: TextIn = ""


class UnitMergeIn(Schema):
    target_code: TextIn
    reason: TextIn = ""


def with_figures(units: list[Unit]) -> list[Unit]:
    """Attach each unit's parent code and member count, one query each for the whole list."""
    counts = headcounts(units)
    parent_codes = unit_parent_codes(units)
    for unit in units:
        unit.member_count = counts[unit.pk]
        unit.parent_code = parent_codes[unit.pk]
    return units


def unit_read(actor: "User", code: str) -> Unit:
    """A unit in scope, read afresh with its figures: what every single-unit response returns."""
    return with_figures([unit_get(actor=actor, code=code)])[0]


@router.get("", response={200: UnitPage, **LIST_ERRORS}, summary="List units")
def unit_list_view(request, filters: Query[UnitFilter], page: Query[PageIn]):
    count, units = page_of(unit_list(actor=request.auth, search=filters.search, kind=filters.kind or ""), page)
    return {"count": count, "items": with_figures(units)}


@router.post("", response={201: UnitOut, **WRITE_ERRORS}, summary="Create a unit")
def unit_create_view(request, payload: UnitCreateIn):
    actor = request.auth
    with fields_named({"parent": "parent_code", "area": "area_code"}):
        unit = unit_create(
            actor=actor,
            parent=unit_from_code(actor, payload.parent_code, field="parent_code"),
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            area=area_from_code(actor, payload.area_code, field="area_code") if payload.area_code else None,
            opened_on=payload.opened_on,
            reason=payload.reason,
        )
    return Status(201, unit_read(actor, unit.code))


@router.get("/{code}", response={200: UnitOut, **READ_ERRORS}, summary="Read a unit")
def unit_detail_view(request, code: TextIn):
    return unit_read(request.auth, code)


@router.get("/{code}/children", response={200: list[UnitOut], **READ_ERRORS}, summary="The open units under a unit")
def unit_children_view(request, code: TextIn):
    actor = request.auth
    return with_figures(list(unit_children(actor=actor, unit=unit_get(actor=actor, code=code))))


@router.patch("/{code}", response={200: UnitOut, **WRITE_ERRORS}, summary="Rename a unit or change its area")
def unit_update_view(request, code: TextIn, payload: UnitUpdateIn):
    actor = request.auth
    unit = unit_get(actor=actor, code=code)
    given = payload.model_dump(exclude_unset=True)
    with fields_named({"area": "area_code"}):
        unit_update(
            actor=actor,
            unit=unit,
            name=payload.name,
            area=area_from_code(actor, payload.area_code, field="area_code") if payload.area_code else None,
            clear_area="area_code" in given and payload.area_code is None,
            reason=payload.reason,
        )
    return unit_read(actor, code)


@router.post("/{code}/move", response={200: UnitOut, **WRITE_ERRORS}, summary="Move a unit and its subtree")
def unit_move_view(request, code: TextIn, payload: UnitMoveIn):
    actor = request.auth
    unit = unit_get(actor=actor, code=code)
    with fields_named({"parent": "new_parent_code"}):
        unit_move(
            actor=actor,
            unit=unit,
            new_parent=unit_from_code(actor, payload.new_parent_code, field="new_parent_code"),
            reason=payload.reason,
        )
    return unit_read(actor, code)


@router.post("/{code}/close", response={200: UnitOut, **WRITE_ERRORS}, summary="Close an empty unit")
def unit_close_view(request, code: TextIn, payload: UnitCloseIn):
    actor = request.auth
    unit_close(actor=actor, unit=unit_get(actor=actor, code=code), closed_on=payload.closed_on, reason=payload.reason)
    return unit_read(actor, code)


@router.post(
    "/{code}/merge",
    response={200: UnitOut, **WRITE_ERRORS},
    summary="Merge a unit into another",
    description="Units and current members move to the target, then the unit is closed. Returns the target.",
)
def unit_merge_view(request, code: TextIn, payload: UnitMergeIn):
    actor = request.auth
    source = unit_get(actor=actor, code=code)
    with fields_named({"target": "target_code"}):
        target = unit_merge(
            actor=actor,
            source=source,
            target=unit_from_code(actor, payload.target_code, field="target_code"),
            reason=payload.reason,
        )
    return unit_read(actor, target.code)


# Organisations on the administrative tree: People's Committees and their offices, agencies, schools, enterprises

organisations_router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    code: str
    name: str
    kind: OrganisationKind
    kind_label: str = Field(alias="get_kind_display")
    area_code: str = Field(alias="area.code")
    parent_code: str | None
    party_unit_code: str | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None

    @staticmethod
    def resolve_parent_code(organisation) -> str | None:
        return organisation.parent.code if organisation.parent_id else None

    @staticmethod
    def resolve_party_unit_code(organisation) -> str | None:
        return organisation.party_unit.code if organisation.party_unit_id else None


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class OrganisationFilter(Schema):
    search: TextIn = Field("", description="Part of the name, or the exact code.")
    closed: bool = Field(False, description="Include closed organisations.")


class OrganisationCreateIn(Schema):
    area_code: TextIn = Field(description="The commune's, village's or residential group's code (or official code).")
    code: TextIn
    name: TextIn
    kind: OrganisationKind
    parent_code: TextIn = Field("", description="For an office: its People's Committee.")
    party_unit_code: TextIn = Field("", description="Its own party cell or committee, if it has one.")
    opened_on: datetime.date | None = None
    reason: TextIn = ""


@organisations_router.get("", response={200: OrganisationPage, **LIST_ERRORS}, summary="List organisations")
def organisation_list_view(request, filters: Query[OrganisationFilter], page: Query[PageIn]):
    organisations = organisation_list(actor=request.auth, query=filters.search, include_closed=filters.closed)
    count, items = page_of(organisations.select_related("party_unit"), page)
    return {"count": count, "items": items}


@organisations_router.post("", response={201: OrganisationOut, **WRITE_ERRORS}, summary="Add an organisation")
def organisation_create_view(request, payload: OrganisationCreateIn):
    actor = request.auth
    parent = None
    if payload.parent_code:
        try:
            parent = organisation_get(actor=actor, code=payload.parent_code)
        except Http404:
            raise ValidationError({"parent_code": _("There is no People's Committee with this code.")}) from None
    with fields_named({"area": "area_code", "parent": "parent_code", "party_unit": "party_unit_code"}):
        organisation = organisation_create(
            actor=actor,
            area=area_from_code(actor, payload.area_code, field="area_code"),
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            parent=parent,
            party_unit=unit_from_code(actor, payload.party_unit_code, field="party_unit_code")
            if payload.party_unit_code
            else None,
            opened_on=payload.opened_on,
            reason=payload.reason,
        )
    return Status(201, organisation)


@organisations_router.get("/{code}", response={200: OrganisationOut, **READ_ERRORS}, summary="Read an organisation")
def organisation_detail_view(request, code: TextIn):
    return organisation_get(actor=request.auth, code=code)
