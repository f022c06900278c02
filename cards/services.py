"""Writes of the electronic member card: photos (the member's own waits for the committee; one the committee
uploads is approved at once) and revocations. Each checks the actor's role and writes the change log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission
from audit.services import creation_log, model_update
from common.images import upload_content_type
from members.models import Member

from .choices import PhotoStatus
from .models import CardPhoto, CardRevision

MAX_PHOTO_BYTES = 2 * 1024 * 1024


def _replace(member: Member, status: str, *, actor: User) -> None:
    for old in CardPhoto.objects.select_for_update().filter(member=member, status=status):
        model_update(old, data={"status": PhotoStatus.REPLACED}, actor=actor, unit=member.unit, clean=False)


@transaction.atomic
def photo_upload(*, actor: User, member: Member, upload) -> CardPhoto:
    """A photo for the card: the member's own waits for the committee's approval; the cell's secretary or the
    committee (MEMBER_CHANGE) may upload one for the member, approved at once."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    by_committee = has_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if actor.member_id != member.pk and not by_committee:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 2 MB: take it again at a smaller size.")})
    content_type = upload_content_type(upload)
    if content_type is None:
        raise ValidationError({"photo": _("Choose a photo (JPEG, PNG or WebP).")})
    approved = by_committee and actor.member_id != member.pk
    _replace(member, PhotoStatus.PENDING, actor=actor)
    if approved:
        _replace(member, PhotoStatus.APPROVED, actor=actor)
    now = timezone.now()
    photo = CardPhoto(
        member=member,
        content_type=content_type,
        status=PhotoStatus.APPROVED if approved else PhotoStatus.PENDING,
        uploaded_by=actor,
        uploaded_at=now,
        decided_by=actor if approved else None,
        decided_at=now if approved else None,
    )
    photo.file.save("photo", upload, save=False)
    photo.save()
    creation_log(actor=actor, obj=photo, unit=member.unit)
    return photo


@transaction.atomic
def photo_decide(*, actor: User, photo: CardPhoto, approve: bool, reason: str = "") -> CardPhoto:
    photo = CardPhoto.objects.select_for_update().select_related("member__unit").get(pk=photo.pk)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, photo.member.unit)
    if photo.status != PhotoStatus.PENDING:
        raise ValidationError(_("This photo has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the photo is not approved: the member will read it.")})
    if approve:
        _replace(photo.member, PhotoStatus.APPROVED, actor=actor)
    return model_update(
        photo,
        data={
            "status": PhotoStatus.APPROVED if approve else PhotoStatus.REJECTED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "reason": reason.strip(),
        },
        actor=actor,
        unit=photo.member.unit,
        clean=False,
    )


@transaction.atomic
def card_revoke(*, actor: User, member: Member, reason: str) -> CardRevision:
    """Every QR of the card shown so far stops verifying (a lost phone, a card shown by someone else). The member
    loads the card again to get a new one."""
    member = Member.objects.select_related("unit").get(pk=member.pk)
    if actor.member_id != member.pk:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the card is revoked.")})
    revision, _created = CardRevision.objects.select_for_update().get_or_create(member=member)
    return model_update(
        revision,
        data={
            "revision": revision.revision + 1,
            "revoked_at": timezone.now(),
            "revoked_by": actor,
            "reason": reason.strip(),
        },
        actor=actor,
        unit=member.unit,
        clean=False,
    )
