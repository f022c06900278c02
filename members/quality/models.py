"""A data-quality pass stored: the run, each problem found, and each unit's figures for the report pages."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import QualityRunState


class QualityRun(models.Model):
    """One pass of the data-quality checks (members/quality/checks.py) over the whole registry.

    The checks read the whole registry (a citizen ID shared with anyone anywhere), which takes minutes at national
    scale, so they run in the background (nightly, or when an official asks) and the pages read the newest finished
    pass: its findings and a summary row for every unit with a problem. A finished pass removes the older ones.
    """

    state = models.CharField(
        _("state"), max_length=16, choices=QualityRunState.choices, default=QualityRunState.RUNNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    members_checked = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("data-quality check")
        verbose_name_plural = _("data-quality checks")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state}"


class QualityFinding(models.Model):
    """One problem one check found with one member in a pass. `position` orders the worklist (errors first, then
    the checks in their order); `unit_path` is the member's cell at the time of the pass."""

    run = models.ForeignKey(QualityRun, on_delete=models.CASCADE, related_name="findings")
    check_code = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    # Derived data: it goes with its member (members are never deleted; only test clean-ups delete them).
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)

    class Meta:
        # A subtree is a prefix of the path (LIKE 'path%'): on PostgreSQL a B-tree serves it only with the pattern
        # operator class, the database's collation not being "C". (Other databases ignore operator classes.)
        indexes = [
            models.Index(
                fields=["run", "unit_path"],
                name="qualityfinding_run_path",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["run", "check_code", "unit_path"],
                name="qualityfinding_run_check",
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # The worklist's order, read in order where most findings are in scope (a province, the country).
            models.Index(fields=["run", "position", "unit_path", "member"], name="qualityfinding_run_order"),
        ]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.member_id}"


class QualityUnitSummary(models.Model):
    """A unit's figures in a pass, over its whole subtree: current members, problems (per check too), members with
    one, and the sum of each such member's worst-problem weight (the score's numerator). Counted in the pass
    itself, so that score and findings agree. Units with no current member and no problem have no row."""

    run = models.ForeignKey(QualityRun, on_delete=models.CASCADE, related_name="summaries")
    unit = models.ForeignKey("orgunits.Unit", on_delete=models.CASCADE, related_name="+")
    members = models.PositiveIntegerField()
    problems = models.PositiveIntegerField()
    members_with_problems = models.PositiveIntegerField()
    weight_total = models.FloatField()
    check_counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="qualityunitsummary_run_unit")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.unit_id}"
