"""The yearly rating of party members: a campaign issued by a committee, and each member's row in it."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import Grade, Stage
from .rules import DEFAULT_EXCELLENT_QUOTA_PERCENT


class RatingCampaign(models.Model):
    """The year-end review and rating of one year, issued by a committee to the cells below it."""

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    self_review_due = models.DateField(_("self-reviews due"))
    decision_due = models.DateField(_("decisions due"))
    excellent_quota_percent = models.PositiveSmallIntegerField(
        _("share of “excellent” among “good” or better (%)"),
        default=DEFAULT_EXCELLENT_QUOTA_PERCENT,
        validators=[MaxValueValidator(100)],
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating campaign")
        verbose_name_plural = _("rating campaigns")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="ratingcampaign_unit_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.unit_id}"


class MemberRating(models.Model):
    """One member's rating in a campaign: their self-review, the cell's proposal and the committee's decision.

    `unit` is the member's cell when the campaign was issued: the cell that reviews them. Exempt members get a row
    in stage EXCLUDED with the reason, so that lists and figures say why they are not rated."""

    campaign = models.ForeignKey(RatingCampaign, on_delete=models.PROTECT, related_name="ratings")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.WAITING)
    excluded_reason = models.CharField(_("why not rated"), max_length=200, blank=True)
    strengths = BoundedTextField(_("strengths"), blank=True)
    shortcomings = BoundedTextField(_("shortcomings and their causes"), blank=True)
    remedies = BoundedTextField(_("how I will remedy them"), blank=True)
    points = models.PositiveSmallIntegerField(
        _("points (of 100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    self_grade = models.CharField(_("grade I propose"), max_length=16, choices=Grade.choices, blank=True)
    self_reviewed_at = models.DateTimeField(null=True, blank=True)
    cell_grade = models.CharField(_("grade the cell proposes"), max_length=16, choices=Grade.choices, blank=True)
    # The cell's vote on its proposal: a vote of a meeting held in Sổ tay, or the counts the secretary typed in.
    cell_vote = models.ForeignKey("meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cell_votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    cell_voters = models.PositiveSmallIntegerField(_("members voting"), null=True, blank=True)
    cell_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cell_recorded_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(_("grade decided"), max_length=16, choices=Grade.choices, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member rating")
        verbose_name_plural = _("member ratings")
        ordering = ["campaign", "unit", "member__sort_name", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="memberrating_campaign_member")]
        indexes = [models.Index(fields=["campaign", "stage"], name="memberrating_campaign_stage")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.member_id}"
