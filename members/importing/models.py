"""The roster import's rows in the database: a job per file, a row per line of it, the header mappings an official
confirmed (remembered for the next file)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ImportRowDecision, ImportRowKind, ImportState


class ImportJob(models.Model):
    """One roster file brought in by an official: uploaded, mapped, previewed, then applied.

    The file is kept until the job is applied so that a large commit can resume after a crash.
    Anyone who may change members in `unit` may see and apply the job (not only its uploader).
    """

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    committed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("applied by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    # "" = detect; otherwise one of members.importing.reading.ENCODINGS.
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    detected_encoding = models.CharField(_("detected encoding"), max_length=16, blank=True)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    language = models.CharField(max_length=8, default="vi")
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list)
    # {"<column index>": "<field>"}; columns not named are ignored.
    mapping = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=16, choices=ImportState.choices, default=ImportState.MAPPING)
    error = models.TextField(_("error"), blank=True)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    applied_rows = models.PositiveIntegerField(default=0)
    # The commit applies the new and changed rows in the order of their ids, one batch per transaction, and moves
    # this mark to the last row of each batch in it: the rows up to it are applied, and a resumed commit starts
    # after it. (A flag per row rewrote every wide row, its JSON included, once more.)
    applied_through = models.PositiveBigIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    missing_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    # New and changed rows applied with problems recorded on the member (MemberReviewFlagKind.IMPORT_PROBLEM).
    recorded_count = models.PositiveIntegerField(default=0)
    # Cells corrected in the preview, applied over the file's own each time it is read:
    # {"<row number>": {"<column index>": "text"}}.
    cell_edits = models.JSONField(default=dict, blank=True)
    # Columns whose values mostly fail the field guessed for them and fit another (members.importing.columns).
    column_warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    previewed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.state in (ImportState.PREVIEWING, ImportState.COMMITTING)


class ImportRow(models.Model):
    """What the preview found for one row of the file (or one member missing from it).

    `data` holds the parsed values (JSON: dates as ISO text, the cell as its id) that the commit applies;
    `changes` lists [field, old, new]; `errors` lists {"column", "message"}. A new or changed row is applied once
    its id is at most the job's `applied_through`.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ImportRowKind.choices)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    matched_by = models.CharField(max_length=16, blank=True)
    full_name = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    changes = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    partial_dates = models.JSONField(default=list)
    # A new member's record as the preview checked it (`members.services.stored_new_record`), which the commit
    # writes as it is on the day of the check.
    new_record = models.JSONField(null=True, blank=True)
    # The kind a DUPLICATE row takes when the officer keeps it (new, changed or unchanged).
    kind_if_kept = models.CharField(max_length=16, blank=True, db_default="")
    # The record rules the row's values break, kept on the member when applied: [[field, message], …].
    recorded_problems = models.JSONField(default=list)
    # The row's cells as read (column index → text), kept for rows the officer may correct in the preview.
    cells = models.JSONField(null=True, blank=True)
    # The officer's answer to an identity conflict (the row keeps kind CONFLICT unless it is SAME_PERSON); a
    # database default, as the preview inserts its rows as plain tuples.
    decision = models.CharField(
        _("decision"), max_length=16, choices=ImportRowDecision.choices, blank=True, db_default=""
    )
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["job", "row_number", "id"]
        indexes = [models.Index(fields=["job", "kind", "row_number"], name="importrow_job_kind_row")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number} {self.kind}"


class ImportMapping(models.Model):
    """A column header an official mapped by hand, remembered for their next file."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    header = models.CharField(max_length=200)  # folded with common.text.fold_for_search
    field = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "header"], name="importmapping_user_header")]

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"
