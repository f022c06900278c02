"""Admission and probation: a probationary member's way to becoming an official member (Điều lệ Đảng, Điều 5).

A case is opened for every probationary member (services.probation_cases_open, daily and when first viewed). The
member's record changes only at the committee's decision, through the member services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import OPEN_STAGES, ProbationOutcome, ProbationStage


class ProbationCase(models.Model):
    """One probationary member's file: the application, the opinions, the cell's vote and the committee's decision.

    `unit` is the member's cell and `committee` the commune-level committee that decides (both follow the member
    while the case is open). `due_on` is the date probation ends: 12 months after admission, or the extended date."""

    member = models.OneToOneField(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="probation_case"
    )
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("deciding committee"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ProbationStage.choices, default=ProbationStage.OPEN)
    due_on = models.DateField(_("probation ends on"))
    opened_at = models.DateTimeField(default=timezone.now)
    # The file, as the secretary records it from the papers.
    application = BoundedTextField(_("the member's application"), blank=True)
    application_on = models.DateField(_("application dated"), null=True, blank=True)
    introducers_opinion = BoundedTextField(_("the introducers' opinions"), blank=True)
    introducers_opinion_on = models.DateField(_("introducers' opinions dated"), null=True, blank=True)
    mass_org_opinion = BoundedTextField(_("the mass organisation's opinion"), blank=True)
    mass_org_opinion_on = models.DateField(_("mass organisation's opinion dated"), null=True, blank=True)
    file_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The cell's vote: a vote of a meeting held in Sổ tay, or the counts the secretary typed in.
    cell_vote = models.ForeignKey("meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cell_votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    cell_voters = models.PositiveSmallIntegerField(_("members voting"), null=True, blank=True)
    cell_voted_on = models.DateField(_("voted on"), null=True, blank=True)
    cell_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The committee's decision.
    outcome = models.CharField(_("decision"), max_length=16, choices=ProbationOutcome.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=255, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The original due date, kept when the probation is extended (once).
    first_due_on = models.DateField(_("first due on"), null=True, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)

    class Meta:
        verbose_name = _("probation case")
        verbose_name_plural = _("probation cases")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["stage", "due_on"], name="probationcase_stage_due")]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.stage}:{self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def has_file(self) -> bool:
        return bool(self.application.strip() and self.application_on)
