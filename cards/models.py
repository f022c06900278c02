"""The electronic member card: the member's photo (approved by the committee) and the card's revision, which a
revocation raises so that every QR shown before no longer verifies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.images import IMAGE_EXTENSIONS
from common.storage import PrivateStorage

from .choices import PhotoStatus

photo_storage = PrivateStorage(refusal="Card photos are served by cards.views.photo after a scope check.")


def photo_file_name(photo, filename: str) -> str:
    extension = IMAGE_EXTENSIONS[photo.content_type]
    return f"cards/{photo.member_id}/{timezone.now():%Y%m%d%H%M%S%f}.{extension}"


class CardPhoto(models.Model):
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=photo_file_name, storage=photo_storage, max_length=200)
    content_type = models.CharField(max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=PhotoStatus.choices, default=PhotoStatus.PENDING)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)

    AUDIT_EXCLUDE = ("file",)  # the log names the photo by its row; the image itself is not a value to keep twice

    class Meta:
        verbose_name = _("card photo")
        verbose_name_plural = _("card photos")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status=PhotoStatus.APPROVED), name="cardphoto_one_approved_per_member"
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(status=PhotoStatus.PENDING), name="cardphoto_one_pending_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.status}"


class CardRevision(models.Model):
    """A member's card revision: starts at 1; revoking the card (a lost phone, a card shown by someone else)
    raises it, and a QR carrying an older revision no longer verifies."""

    member = models.OneToOneField("members.Member", on_delete=models.PROTECT, related_name="+", primary_key=True)
    revision = models.PositiveIntegerField(default=1)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("card revision")
        verbose_name_plural = _("card revisions")

    def __str__(self) -> str:
        return f"{self.member_id}:{self.revision}"
