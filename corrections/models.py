import pathlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField
from common.storage import PrivateStorage

from .choices import OPEN_STATES, EventKind, Level, RequestState, Route, Section


class FieldPolicy(models.Model):
    """Who decides a correction of one field of the member record. Administrators edit it; a migration seeds it.

    A field without a row cannot be corrected by request (status, standing... follow their own procedures).
    """

    field_name = models.CharField(_("field"), max_length=64, unique=True)
    route = models.CharField(_("who decides"), max_length=32, choices=Route.choices)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=10, help_text=_("Monday to Friday, counted from the day it arrives.")
    )

    class Meta:
        verbose_name = _("correction policy")
        verbose_name_plural = _("correction policies")
        ordering = ["field_name"]

    def __str__(self) -> str:
        return f"{self.field_name}: {self.get_route_display()}"


def private_storage() -> PrivateStorage:
    """Where the supporting papers are kept; the migrations name this function, so it stays here."""
    return PrivateStorage(refusal="Supporting papers have no public URL.")


def attachment_name(instance, filename: str) -> str:
    # A random name: nothing of the member or the original name reaches the disk.
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(instance.content_type, "")
    return str(pathlib.PurePosixPath("corrections", "papers", f"{uuid.uuid4().hex}{suffix}"))


class Attachment(models.Model):
    """A photo or scan of a supporting paper. Stored under MEDIA_ROOT (never served as static);
    read only through the attachment view, which checks the viewer may see the member's requests."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="correction_attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_name, storage=private_storage)
    content_type = models.CharField(_("type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting paper")
        verbose_name_plural = _("supporting papers")

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"


class CorrectionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, day):
        return self.open().filter(due_on__lt=day)


class CorrectionRequest(models.Model):
    """A request to correct one field of a member's record (đề nghị điều chỉnh thông tin).

    Values are stored as the change log stores them (JSON: dates in ISO form, foreign keys by id).
    `old_value` is what the requester saw: approving compares it with the record as it is then.
    """

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="correction_requests"
    )
    field_name = models.CharField(_("field"), max_length=64, db_index=True)
    old_value = models.JSONField(_("value when requested"), null=True, blank=True)
    new_value = models.JSONField(_("requested value"), null=True, blank=True)
    member_version = models.PositiveIntegerField(_("record version when requested"))
    route = models.CharField(_("who decides"), max_length=32, choices=Route.choices)
    state = models.CharField(_("state"), max_length=16, choices=RequestState.choices, default=RequestState.SUBMITTED)
    level = models.CharField(_("waiting for"), max_length=16, choices=Level.choices, blank=True)
    # The unit whose queue holds the request now (the cell, the commune committee, the province; higher when escalated).
    assigned_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("queue of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(_("times escalated"), default=0)
    # A change of cell: the cell asked for. Into another commune it is a transfer case, seen by both communes.
    target_unit = models.ForeignKey(
        "orgunits.Unit",
        verbose_name=_("cell asked for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_transfer = models.BooleanField(_("transfer between communes"), default=False)
    reason = BoundedTextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = BoundedTextField(_("reason for the decision"), blank=True)
    # The record's value found when a decision met a changed record (state CONFLICT).
    conflict_value = models.JSONField(_("value found at decision"), null=True, blank=True)
    change_log = models.ForeignKey(
        "audit.ChangeLog", verbose_name=_("change"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachments = models.ManyToManyField(Attachment, verbose_name=_("supporting papers"), blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="correction_state_due"),
            models.Index(fields=["member", "state"], name="correction_member_state"),
        ]

    def __str__(self) -> str:
        return _("Correction request #%(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CorrectionEvent(models.Model):
    """One step in a request's life (submitted, confirmed, forwarded, approved, rejected, escalated...)."""

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = BoundedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("correction event")
        verbose_name_plural = _("correction events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.request_id}"


class SectionVerification(models.Model):
    """A member (or someone helping them) said one section of the record is correct, on a date.

    (The rollout's `RecordVerification` is the other fact: the member confirmed the whole record, counted in the
    figures.)"""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="verifications"
    )
    section = models.CharField(_("section"), max_length=32, choices=Section.choices)
    verified_on = models.DateField(_("verified on"))
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    member_version = models.PositiveIntegerField(_("record version"))

    class Meta:
        verbose_name = _("section verification")
        verbose_name_plural = _("section verifications")
        ordering = ["-verified_at", "-id"]
        indexes = [models.Index(fields=["member", "section"], name="verification_member_section")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.section} {self.verified_on}"


class ConfirmationCampaign(models.Model):
    """ "Confirm your place of activity": a committee asks every member of its subtree to confirm their cell."""

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("place-of-activity campaign")
        verbose_name_plural = _("place-of-activity campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CampaignAnswer(models.Model):
    """A member's answer to a campaign: yes, this is my cell; or no, with the correction request it opened."""

    campaign = models.ForeignKey(ConfirmationCampaign, on_delete=models.PROTECT, related_name="answers")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    # The cell on the record when the member answered.
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    is_confirmed = models.BooleanField(_("cell confirmed"))
    correction_request = models.ForeignKey(
        CorrectionRequest, verbose_name=_("correction request"), null=True, blank=True, on_delete=models.PROTECT
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign answer")
        verbose_name_plural = _("campaign answers")
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="one_answer_per_member")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.member_id}"
