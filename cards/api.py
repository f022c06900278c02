"""The electronic member card over the API: the same selectors as the pages."""

import datetime

from ninja import Router, Schema

from common.api import READ_ERRORS

from . import selectors
from .choices import CardCheck

router = Router(tags=["cards"])


class CardOut(Schema):
    member_id: int
    full_name: str
    card_number: str | None
    date_of_birth: datetime.date
    joined_on: datetime.date
    official_on: datetime.date | None
    cell: str
    has_photo: bool
    is_current: bool
    token: str
    check_url: str


class CheckOut(Schema):
    state: str
    label: str
    full_name: str | None = None
    card_number: str | None = None
    cell: str | None = None


@router.get("/mine", response={200: CardOut, **READ_ERRORS}, summary="The signed-in member's card and its QR token")
def mine(request):
    card = selectors.own_card(user=request.auth)
    member = card.member
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "card_number": member.card_number,
        "date_of_birth": member.date_of_birth,
        "joined_on": member.joined_on,
        "official_on": member.official_on,
        "cell": member.unit.name,
        "has_photo": card.photo is not None,
        "is_current": card.is_current,
        "token": card.token,
        "check_url": request.build_absolute_uri(f"/cards/check/?t={card.token}"),
    }


@router.get("/check", response={200: CheckOut, **READ_ERRORS}, summary="Check a card's QR token")
def check(request, t: str = ""):
    state, member = selectors.card_check(t[:500])
    out = {"state": state, "label": str(CardCheck(state).label)}
    if member is not None:
        out.update(full_name=member.full_name, card_number=member.card_number, cell=member.unit.name)
    return out
