"""Reads of the electronic member card, narrowed to what the actor may see.

A member sees their own card. Photos are seen by their member, and by those with MEMBER_VIEW over the member's
cell; pending photos are decided with MEMBER_CHANGE. Checking a card's QR needs only signing in: it shows what the
card shows, and only while the card is valid.
"""

import dataclasses
import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, units_q
from members.choices import CURRENT_STATUSES
from members.models import Member

from .choices import CardCheck, PhotoStatus
from .models import CardPhoto, CardRevision
from .tokens import card_token, card_token_read


@dataclasses.dataclass(frozen=True)
class Card:
    member: Member
    photo: CardPhoto | None
    pending_photo: CardPhoto | None
    revision: int
    token: str

    @property
    def is_current(self) -> bool:
        return self.member.status in CURRENT_STATUSES


def _revision(member_id: int) -> int:
    row = CardRevision.objects.filter(member_id=member_id).only("revision").first()
    return row.revision if row else 1


def _photo(member_id: int, status: str) -> CardPhoto | None:
    return CardPhoto.objects.filter(member_id=member_id, status=status).first()


def own_card(*, user: User, now: datetime.datetime | None = None) -> Card:
    """The signed-in member's card, with a fresh QR token (404 for an account without a member record)."""
    if not user.is_authenticated or not user.member_id:
        raise Http404
    member = Member.objects.select_related("unit").get(pk=user.member_id)
    revision = _revision(member.pk)
    return Card(
        member=member,
        photo=_photo(member.pk, PhotoStatus.APPROVED),
        pending_photo=_photo(member.pk, PhotoStatus.PENDING),
        revision=revision,
        token=card_token(member_id=member.pk, revision=revision, now=now or timezone.now()),
    )


def card_check(token_value: str, *, now: datetime.datetime | None = None) -> tuple[str, Member | None]:
    """What a scanned QR proves: the card is valid (and whose it is), or why not. Nobody's record is shown for a
    code that does not verify."""
    token = card_token_read(token_value)
    if token is None:
        return CardCheck.FORGED, None
    member = Member.objects.select_related("unit").filter(pk=token.member_id).first()
    if member is None:
        return CardCheck.FORGED, None
    if token.is_expired_at(now or timezone.now()):
        return CardCheck.EXPIRED, None
    if token.revision != _revision(member.pk):
        return CardCheck.REVOKED, None
    if member.status not in CURRENT_STATUSES:
        return CardCheck.NOT_A_MEMBER, None
    return CardCheck.VALID, member


def approved_photo(member: Member) -> CardPhoto | None:
    return _photo(member.pk, PhotoStatus.APPROVED)


def photo_get(*, actor: User, pk: int) -> CardPhoto:
    """A photo the actor may see: their own, or with MEMBER_VIEW over the member's cell (404 otherwise)."""
    if not actor.is_authenticated:
        raise Http404
    condition = Q(member_id=actor.member_id or 0) | units_q(actor, Permission.MEMBER_VIEW, via="member__unit__")
    return get_object_or_404(CardPhoto.objects.filter(condition).select_related("member__unit"), pk=pk)


def pending_photos(*, actor: User) -> QuerySet[CardPhoto]:
    """Photos waiting for the committee, in the cells the actor may change records of, oldest first."""
    return (
        CardPhoto.objects.filter(units_q(actor, Permission.MEMBER_CHANGE, via="member__unit__"))
        .filter(status=PhotoStatus.PENDING)
        .select_related("member__unit")
        .order_by("uploaded_at", "pk")
    )


def member_for_card(*, actor: User, pk: int) -> Member:
    """A member whose card the actor sees: with MEMBER_VIEW over their cell (404 otherwise); the services ask for
    MEMBER_CHANGE to change it."""
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(
        Member.objects.filter(units_q(actor, Permission.MEMBER_VIEW, via="unit__")).select_related("unit"), pk=pk
    )


def can_manage(*, user: User, member: Member) -> bool:
    return has_unit_permission(user, Permission.MEMBER_CHANGE, member.unit)
