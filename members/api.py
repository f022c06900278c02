"""The member registry over the API: list and read records in scope, register and change them, read their history."""

import datetime
from typing import Any, Literal

from ninja import Field, ModelSchema, Query, Router, Schema
from ninja.responses import Status

from accounts.models import User
from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, fields_named
from common.pagination import capped_rows_and_total
from orgunits.api import area_from_code, unit_from_code

from .choices import IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
from .models import Member
from .selectors import member_get, member_history, member_list, member_list_paging
from .services import member_create, member_update, record_access_log

router = Router(tags=["members"])

# The API names places by code; the services take the objects.
PLACE_FIELDS = {"unit": "unit_code", "residence_area": "residence_area_code"}


class MemberListOut(Schema):
    id: int
    full_name: str
    date_of_birth: datetime.date
    sex: str
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    status: str
    standing: str
    card_number: str | None
    is_eligible: bool


class MemberPage(Schema):
    count: int = Field(
        description="The number of members listed, counted up to MEMBER_LIST_COUNT_CAP (10,000): past it, the cap "
        "plus one, with count_is_capped true. Where the database's planner estimates more than "
        "MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE (100,000) members, nothing is counted: the cap plus one on the "
        "estimate's word, unless the page asked for comes back short (then the count is exact: the list ends "
        "there) or empty (then the list is counted up to the cap)."
    )
    count_is_capped: bool = Field(
        False,
        description="true when there are more members than the cap: then only the first cap members are listed "
        "(offset + limit past the cap gives the rest of them, an offset at the cap or past it none): narrow the "
        "search or the filters to reach the others.",
    )
    items: list[MemberListOut]


class MemberOut(ModelSchema):
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    residence_area_code: str | None
    residence_area_name: str | None

    class Meta:
        model = Member
        exclude = ["search_name", "sort_name", "unit", "residence_area"]

    @staticmethod
    def resolve_residence_area_code(member) -> str | None:
        return member.residence_area.code if member.residence_area else None

    @staticmethod
    def resolve_residence_area_name(member) -> str | None:
        return member.residence_area.name if member.residence_area else None


class MemberFilter(Schema):
    search: TextIn = Field(
        "",
        description="Words of the name (without diacritics is fine), or the first digits of the card number, citizen ID or phone.",
    )
    status: MemberStatus | None = None
    unit_code: TextIn | None = Field(None, description="Members of this unit's whole subtree.")
    is_eligible: bool | None = None


class MemberRecordIn(Schema):
    """The fields of a record a client may set.

    Lengths and formats are checked by the services after tidying, so "+84 912 345 678" is a phone number.
    """

    full_name: TextIn | None = None
    birth_name: TextIn | None = None
    sex: Sex | None = None
    date_of_birth: datetime.date | None = None
    ethnicity: TextIn | None = None
    religion: TextIn | None = None
    hometown: TextIn | None = None
    current_residence: TextIn | None = None
    citizen_id: TextIn | None = None
    phone: TextIn | None = None
    email: TextIn | None = None
    education: TextIn | None = None
    political_theory: PoliticalTheory | Literal[""] | None = None
    professional_qualification: TextIn | None = None
    foreign_language: TextIn | None = None
    occupation_before_joining: TextIn | None = None
    occupation: TextIn | None = None
    position: TextIn | None = None
    is_army: bool | None = None
    is_police: bool | None = None
    is_retired: bool | None = None
    joined_on: datetime.date | None = None
    official_on: datetime.date | None = None
    card_number: TextIn | None = None
    background_file_number: TextIn | None = None
    standing: Standing | None = Field(None, description="Follows official_on when left out.")
    status: MemberStatus | None = None
    status_since: datetime.date | None = None
    transferred_in_on: datetime.date | None = None
    transferred_in_from: TextIn | None = None
    transferred_out_on: datetime.date | None = None
    transferred_out_to: TextIn | None = None
    left_on: datetime.date | None = None
    leaving_form: LeavingForm | Literal[""] | None = None
    leaving_reason: TextIn | None = None
    died_on: datetime.date | None = None
    is_eligible: bool | None = None
    ineligibility_reason: IneligibilityReason | Literal[""] | None = None
    notes: TextIn | None = None


class MemberCreateIn(MemberRecordIn):
    full_name: TextIn
    sex: Sex
    date_of_birth: datetime.date
    joined_on: datetime.date
    unit_code: TextIn
    residence_area_code: TextIn | None = None
    reason: TextIn = ""


class MemberUpdateIn(MemberRecordIn):
    # May be left out, but not sent as null: a member always has a cell.
    unit_code: TextIn = None
    residence_area_code: TextIn | None = Field(None, description="null removes the residence.")
    version: Int64 = Field(description="The version read; a change made on an older copy is refused.")
    reason: TextIn = ""


class FieldChangeOut(Schema):
    field: str
    before: Any
    after: Any


class HistoryEntryOut(Schema):
    time: datetime.datetime
    actor_name: str
    source: str
    action: str
    action_label: str = Field(alias="get_action_display")
    reason: str
    changes: list[FieldChangeOut]

    @staticmethod
    def resolve_changes(entry) -> list[dict]:
        return [{"field": field, "before": before, "after": after} for field, before, after in entry.changed_fields()]


def record_data(actor: User, payload: Schema) -> dict:
    """The fields the client sent, with unit and area codes turned into the places they name."""
    data = payload.model_dump(exclude_unset=True, include=set(MemberRecordIn.model_fields))
    given = payload.model_fields_set
    if "unit_code" in given:
        data["unit"] = unit_from_code(actor, payload.unit_code, field="unit_code")
    if "residence_area_code" in given:
        code = payload.residence_area_code
        data["residence_area"] = area_from_code(actor, code, field="residence_area_code") if code else None
    return data


@router.get("", response={200: MemberPage, **LIST_ERRORS}, summary="List members")
def member_list_view(request, filters: Query[MemberFilter], page: Query[PageIn]):
    actor = request.auth
    unit = unit_from_code(actor, filters.unit_code, field="unit_code") if filters.unit_code else None
    members = member_list(
        actor=actor, search=filters.search, status=filters.status or "", unit=unit, is_eligible=filters.is_eligible
    )
    paging = member_list_paging(actor=actor, search=filters.search, unit=unit)
    items, count = capped_rows_and_total(members, offset=page.offset, limit=page.limit, **paging)
    return {"count": count, "count_is_capped": count > paging["cap"], "items": items}


@router.post("", response={201: MemberOut, **WRITE_ERRORS}, summary="Register a member")
def member_create_view(request, payload: MemberCreateIn):
    actor = request.auth
    with fields_named(PLACE_FIELDS):
        member = member_create(actor=actor, data=record_data(actor, payload), reason=payload.reason)
    return Status(201, member_get(actor=actor, pk=member.pk))


@router.get("/{member_id}", response={200: MemberOut, **READ_ERRORS}, summary="Read a member's record")
def member_detail_view(request, member_id: Int64):
    member = member_get(actor=request.auth, pk=member_id)
    record_access_log(actor=request.auth, member=member)
    return member


@router.patch(
    "/{member_id}",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Change a member's record",
    description="Send only the fields to change, with the version read.",
)
def member_update_view(request, member_id: Int64, payload: MemberUpdateIn):
    actor = request.auth
    member = member_get(actor=actor, pk=member_id)
    with fields_named(PLACE_FIELDS):
        member_update(
            actor=actor,
            member=member,
            data=record_data(actor, payload),
            reason=payload.reason,
            expected_version=payload.version,
        )
    return member_get(actor=actor, pk=member_id)


@router.get(
    "/{member_id}/history",
    response={200: list[HistoryEntryOut], **READ_ERRORS},
    summary="A member record's change log, newest first",
)
def member_history_view(request, member_id: Int64):
    return member_history(member=member_get(actor=request.auth, pk=member_id))
