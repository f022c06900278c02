"""Residence registration over the API: the same selectors and services as the pages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from common.api import READ_ERRORS, WRITE_ERRORS, Int64

from . import selectors, services

router = Router(tags=["residence"])


class RegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str
    work_unit_code: str
    residential_unit_code: str
    status: str
    requested_on: datetime.date
    decided_on: datetime.date | None
    refusal_reason: str


class RegisterIn(Schema):
    member_id: Int64 | None = Field(
        None, description="Another member of a cell the caller manages; the caller if empty"
    )
    residential_unit_code: str = Field(..., max_length=32)


class RefusalIn(Schema):
    reason: str = Field(..., max_length=500)


class FeedbackIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    keeps_contact: bool
    sets_example: bool
    takes_part: bool
    remarks: str = Field("", max_length=2000)


def _out(registration) -> dict:
    return {
        "id": registration.pk,
        "member_id": registration.member_id,
        "member_name": registration.member.full_name,
        "work_unit_code": registration.work_unit.code,
        "residential_unit_code": registration.residential_unit.code,
        "status": registration.status,
        "requested_on": registration.requested_on,
        "decided_on": registration.decided_on,
        "refusal_reason": registration.refusal_reason,
    }


def _fresh(request, registration) -> dict:
    return _out(selectors.registration_get(actor=request.auth, pk=registration.pk))


@router.get("/mine", response={200: list[RegistrationOut], **READ_ERRORS}, summary="The member's own registrations")
def mine(request):
    return [_out(registration) for registration in selectors.own_registrations(user=request.auth)]


@router.get("/{int:registration_id}", response={200: RegistrationOut, **READ_ERRORS}, summary="One registration")
def detail(request, registration_id: Int64):
    return _out(selectors.registration_get(actor=request.auth, pk=registration_id))


@router.post("/register", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Ask to register where one lives")
def register(request, payload: RegisterIn):
    member_id = payload.member_id or request.auth.member_id
    if not member_id:
        raise ValidationError({"member_id": _("Name the member who registers.")})
    member = selectors.member_for_registration(actor=request.auth, pk=member_id)
    cell = selectors.residential_cells_near(member).filter(code=payload.residential_unit_code.strip()).first()
    if cell is None:
        raise ValidationError({"residential_unit_code": _("Choose the open cell of a village or a residential group.")})
    return _fresh(request, services.registration_request(actor=request.auth, member=member, residential_unit=cell))


@router.post("/{int:registration_id}/accept", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Accept")
def accept(request, registration_id: Int64):
    registration = selectors.registration_get(actor=request.auth, pk=registration_id)
    return _fresh(request, services.registration_accept(actor=request.auth, registration=registration))


@router.post("/{int:registration_id}/refuse", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Refuse")
def refuse(request, registration_id: Int64, payload: RefusalIn):
    registration = selectors.registration_get(actor=request.auth, pk=registration_id)
    return _fresh(
        request, services.registration_refuse(actor=request.auth, registration=registration, reason=payload.reason)
    )


@router.post(
    "/{int:registration_id}/feedback", response={200: RegistrationOut, **WRITE_ERRORS}, summary="The yearly feedback"
)
def feedback(request, registration_id: Int64, payload: FeedbackIn):
    registration = selectors.registration_get(actor=request.auth, pk=registration_id)
    services.feedback_give(actor=request.auth, registration=registration, **payload.dict())
    return _fresh(request, registration)
