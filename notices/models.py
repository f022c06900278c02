"""Notices a unit issues to its subtree, and who has read them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import RoleKind
from common.fields import BoundedTextField
from common.images import IMAGE_EXTENSIONS
from common.storage import PrivateStorage

from .choices import NoticeKind

# A notice's row in a recipient's inbox has the key NOTICE_KEY_PREFIX + its id (`Notice.notification_key`).
NOTICE_KEY_PREFIX = "notice:"

picture_storage = PrivateStorage(refusal="News pictures are served by notices.views.news_picture after a scope check.")


def picture_file_name(notice, filename: str) -> str:
    return f"news/{notice.unit_id}/{timezone.now():%Y%m%d%H%M%S%f}.{IMAGE_EXTENSIONS[notice.picture_type]}"


class Notice(models.Model):
    """A notice (thông báo) from a unit to everyone in its subtree, or only to some roles there; or a news item
    (tin tức) to the whole subtree, with a summary and a picture.

    It is visible to its recipients from `publish_at` on. A notice is put in their inboxes then, once
    (`published_at` records that the fan-out was started, `fanned_out_at` that it finished); a news item is not.
    """

    AUDIT_EXCLUDE = ("picture",)  # the log names the item by its row; the image itself is not a value to keep twice

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300, blank=True)
    body = BoundedTextField(_("text"))
    picture = models.FileField(_("picture"), upload_to=picture_file_name, storage=picture_storage, blank=True)
    picture_type = models.CharField(max_length=16, blank=True, editable=False)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    published_at = models.DateTimeField(_("sent to the inboxes at"), null=True, blank=True, editable=False)
    # Still empty some time after `published_at`: the fan-out stopped (a lost database connection, say) and the
    # publisher starts it again (`services.notices_publish_due`).
    fanned_out_at = models.DateTimeField(_("put in every inbox at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-publish_at"], name="notice_unit_publish_at"),
            # The home's question: the latest news of the units above the member.
            models.Index(fields=["kind", "-publish_at"], name="notice_kind_publish_at"),
            # The publisher's question: which notices are due and not yet sent?
            models.Index(fields=["published_at", "publish_at"], name="notice_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def notification_key(self) -> str:
        return f"{NOTICE_KEY_PREFIX}{self.pk}"


class NoticeAudience(models.Model):
    """One role a notice is restricted to. A notice without these rows is for everyone in the subtree."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audience")
    role = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)

    class Meta:
        verbose_name = _("notice audience")
        verbose_name_plural = _("notice audiences")
        constraints = [models.UniqueConstraint(fields=["notice", "role"], name="notice_audience_once_per_role")]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.role}"


class NoticeRead(models.Model):
    """A recipient opened the notice (the first time counts)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once_per_user")]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.user_id}"
