"""Admission and probation: a probationary member's way to becoming an official member (Điều lệ Đảng, Điều 5).

A case is opened for every probationary member (services.probation_cases_open, daily and when first viewed). The
member's record changes only at the committee's decision, through the member services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField
from members.choices import Sex

from .choices import OPEN_STAGES, CandidateStage, ProbationOutcome, ProbationStage


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


class Candidate(models.Model):
    """A candidate for admission (quần chúng ưu tú) followed by their cell: the course on the party, the background
    verification, two introducers, the mass organisation's recommendation, the cell's vote and the committee's
    decision. Admission creates the member's record (probationary) through the member services; the file is kept."""

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("deciding committee"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=CandidateStage.choices, default=CandidateStage.PROPOSED)
    full_name = models.CharField(_("full name"), max_length=255)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    citizen_id = models.CharField(_("citizen ID"), max_length=12)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    training_course = models.CharField(_("course on the party"), max_length=255, blank=True)
    certificate_on = models.DateField(_("certificate dated"), null=True, blank=True)
    background_check = BoundedTextField(_("background verification"), blank=True)
    background_checked_on = models.DateField(_("verified on"), null=True, blank=True)
    introducer_1 = models.ForeignKey(
        "members.Member",
        verbose_name=_("first introducer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introducer_2 = models.ForeignKey(
        "members.Member",
        verbose_name=_("second introducer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mass_org_recommendation = BoundedTextField(_("the mass organisation's recommendation"), blank=True)
    mass_org_recommendation_on = models.DateField(_("recommendation dated"), null=True, blank=True)
    cell_vote = models.ForeignKey("meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cell_votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    cell_voters = models.PositiveSmallIntegerField(_("members voting"), null=True, blank=True)
    cell_voted_on = models.DateField(_("voted on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dropped_reason = models.CharField(_("why dropped"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("candidate for admission")
        verbose_name_plural = _("candidates for admission")
        ordering = ["unit", "full_name", "id"]
        indexes = [models.Index(fields=["stage"], name="candidate_stage")]

    def __str__(self) -> str:
        return f"{self.full_name}:{self.stage}"
