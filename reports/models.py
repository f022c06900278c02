"""Report templates (versioned), campaigns issued down the tree, and the submissions they expect.

Values of a submission are kept as JSON, one entry per template field key:
    {"value": 12, "computed": 10, "note": "2 members moved in after the cut-off"}
`computed` is the figure from live data as of the campaign's cut-off (indicator fields) or the sum of the
units below (a compiled report); `value` is what the report says. They may differ only with a `note`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import end_of_day
from common.fields import BoundedTextField

from .choices import FILED_STATES, EventKind, SubmissionState, TargetTree


class ReportTemplate(models.Model):
    """One version of a prescribed report form (mẫu báo cáo). Versions are never changed once saved:
    changing a template saves version n+1 under the same code, and campaigns keep the version they used.

    `fields` is an ordered list of {"key", "kind", "label", "options"}: indicator fields use a key of the
    indicator registry (common/indicators.py), hand-filled fields a key of their own. The layout fields
    give the official document (thể thức văn bản) its header, recipients and signer.
    """

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("prescribed by"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=300)
    fields = models.JSONField(_("fields"), default=list)
    # Official layout (defaults; a submission may change the number, place, date and signer's name).
    body = BoundedTextField(_("opening text"), blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    recipients = BoundedTextField(_("recipients"), blank=True, help_text=_("One per line."))
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_template_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Campaign(models.Model):
    """A report campaign (đợt báo cáo): a unit asks every unit of one kind in its subtree, or every village /
    residential group of one kind under its area, for a report on a template by a deadline.

    A campaign issued by a unit that is itself a target of its parent's campaign names that campaign as
    `parent`: the unit then compiles its own report to the parent from this campaign's submissions.
    """

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A campaign of a People's Committee (a state body, not a party unit): then `unit` is empty.
    organisation = models.ForeignKey(
        "orgunits.Organisation",
        verbose_name=_("issued by the body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.ForeignKey(ReportTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("for the campaign of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=300)
    target_tree = models.CharField(_("targets"), max_length=8, choices=TargetTree.choices)
    target_kind = models.CharField(_("kind of target"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    cutoff_on = models.DateField(_("figures as of"))
    deadline = models.DateField(_("deadline"))
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before the deadline"), default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("report campaign")
        verbose_name_plural = _("report campaigns")
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True, organisation__isnull=False)
                | models.Q(unit__isnull=False, organisation__isnull=True),
                name="campaign_has_one_issuer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def issuer(self):
        """The party unit or the state body that issued the campaign."""
        return self.unit if self.unit_id else self.organisation

    @property
    def deadline_end(self) -> datetime.datetime:
        """The deadline is the end of that day, Vietnam time."""
        return end_of_day(self.deadline)


class Submission(models.Model):
    """The report one target owes a campaign; created as a draft, pre-filled, when the campaign is issued."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    target_unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_area = models.ForeignKey(
        "orgunits.AdminArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_organisation = models.ForeignKey(
        "orgunits.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    values = models.JSONField(_("values"), default=dict)
    # The document's own header and signature (defaults from the template's layout).
    number_symbol = models.CharField(_("number and symbol"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    # Timeliness counts the first submission: a report returned for a fix and filed again stays on time.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    return_reason = BoundedTextField(_("reason returned"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "target_unit"], name="one_submission_per_unit"),
            models.UniqueConstraint(fields=["campaign", "target_area"], name="one_submission_per_area"),
            models.UniqueConstraint(fields=["campaign", "target_organisation"], name="one_submission_per_organisation"),
            models.CheckConstraint(
                condition=models.Q(
                    target_unit__isnull=True, target_area__isnull=False, target_organisation__isnull=True
                )
                | models.Q(target_unit__isnull=False, target_area__isnull=True, target_organisation__isnull=True)
                | models.Q(target_unit__isnull=True, target_area__isnull=True, target_organisation__isnull=False),
                name="submission_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.target}"

    @property
    def target(self):
        if self.target_unit_id:
            return self.target_unit
        return self.target_area if self.target_area_id else self.target_organisation

    @property
    def figures_target(self):
        """What the live figures are computed for: the target, or an organisation's own party unit (None when it
        has none: its filer types every figure)."""
        return self.target_organisation.party_unit if self.target_organisation_id else self.target

    @property
    def is_filed(self) -> bool:
        return self.state in FILED_STATES

    @property
    def is_late(self) -> bool:
        """Filed after the deadline (judged by its first submission)."""
        return self.first_submitted_at is not None and self.first_submitted_at > self.campaign.deadline_end

    @property
    def is_overdue(self) -> bool:
        """Not filed, and the deadline has passed."""
        return not self.is_filed and timezone.now() > self.campaign.deadline_end


class SubmissionEvent(models.Model):
    """One step in a report's life: expected, saved, submitted, returned (with the reason), accepted, compiled."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
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
    note = BoundedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.submission_id}"
