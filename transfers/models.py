"""A transfer of a member's party activity: the application, the committee's letter, the receiving cell's
confirmation. The member's record moves only at the confirmation (services.transfer_receive)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import OPEN_STAGES, Route, Stage, TransferKind

# A transfer under way: waiting for the letter or its presentation, or a temporary stay not yet over. A member has
# at most one.
UNDER_WAY = Q(stage__in=OPEN_STAGES) | Q(kind=TransferKind.TEMPORARY, stage__in=[Stage.RECEIVED, Stage.DEPARTED])


class Transfer(models.Model):
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices, default=TransferKind.OFFICIAL)
    route = models.CharField(_("route"), max_length=24, choices=Route.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    # The cell the member leaves (none for a member received from outside Sổ tay) and the cell that receives them
    # (none for a transfer out of Sổ tay, whose organisation is named in `outside_name`).
    from_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("from cell"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("to cell"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outside_name = models.CharField(_("party organisation outside Sổ tay"), max_length=255, blank=True)
    # A letter issued outside Sổ tay, as the member presented it: its number and date as printed.
    outside_letter = models.CharField(_("letter presented"), max_length=100, blank=True)
    # The committee that decides and issues the letter (none for a letter received from outside).
    issuing_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = BoundedTextField(_("reason"), blank=True)
    moves_on = models.DateField(_("moving on"))
    returns_on = models.DateField(_("coming back on"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    # The day the application reached the cell (a paper one may be recorded later): the deadlines count from it.
    filed_on = models.DateField(_("application filed on"), default=timezone.localdate)
    issue_due = models.DateField(_("letter due"), null=True, blank=True)
    # The letter (giấy giới thiệu sinh hoạt đảng): its number within the issuing committee's year, and what it
    # carries from the record as it stood when issued.
    letter_year = models.PositiveSmallIntegerField(null=True, blank=True)
    letter_number = models.PositiveIntegerField(_("letter number"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=8, blank=True)
    background_file_number = models.CharField(_("background-file number"), max_length=9, blank=True)
    list_position = models.PositiveIntegerField(_("position in the cell's list"), null=True, blank=True)
    dues_paid_through = models.DateField(_("dues paid up to"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    present_due = models.DateField(_("to be presented by"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    # A temporary transfer: the member's status before the stay (exempt members stay exempt when they come back).
    status_before = models.CharField(max_length=32, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=UNDER_WAY, name="transfer_one_open_per_member"),
            models.UniqueConstraint(
                fields=["issuing_unit", "letter_year", "letter_number"],
                condition=Q(letter_number__isnull=False),
                name="transfer_letter_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "issue_due"], name="transfer_stage_issue_due"),
            models.Index(fields=["stage", "present_due"], name="transfer_stage_present_due"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.route}:{self.stage}"

    @property
    def is_temporary(self) -> bool:
        return self.kind == TransferKind.TEMPORARY

    @property
    def letter_reference(self) -> str:
        """How the letter is cited: its number and year (Số 12/2026)."""
        return f"{self.letter_number}/{self.letter_year}" if self.letter_number else ""

    @property
    def destination(self) -> str:
        return self.to_unit.name if self.to_unit_id else self.outside_name

    @property
    def origin(self) -> str:
        return self.from_unit.name if self.from_unit_id else self.outside_name
