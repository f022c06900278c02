from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import ChangeSource
from common.fields import BoundedTextField

from .choices import (
    CURRENT_STATUSES,
    ImportRowDecision,
    ImportRowKind,
    ImportState,
    IneligibilityReason,
    LeavingForm,
    MemberReviewFlagKind,
    MemberStatus,
    PoliticalTheory,
    QualityRunState,
    RecordAccessKind,
    Sex,
    Standing,
)
from .validation import validate_member_record


class Member(models.Model):
    """A party member's record (form 7-HSĐV and the member summary card). Never deleted.

    Leaving, death and transfers are status changes with dates; the full history is in the change log.
    """

    # Place of party activity: the cell the member attends.
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="members")
    residence_area = models.ForeignKey(
        "orgunits.AdminArea",
        verbose_name=_("village / residential group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )

    full_name = models.CharField(_("full name"), max_length=200)
    birth_name = models.CharField(_("birth name"), max_length=200, blank=True)
    # full_name folded to lower case without diacritics, for search.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    # The order of Vietnamese rosters (given name, then family and middle names; tones after letters, Đ after D) as
    # digits the database can order and page by (common.collation.person_name_collation_key), set by the services.
    sort_name = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=50, default="Kinh")
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    current_residence = models.CharField(_("current residence"), max_length=255, blank=True)
    citizen_id = models.CharField(
        _("citizen ID"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("Another member already has this citizen ID.")},
    )
    phone = models.CharField(_("phone"), max_length=11, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)

    education = models.CharField(_("general education"), max_length=50, blank=True)
    political_theory = models.CharField(
        _("political theory"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    professional_qualification = models.CharField(_("professional qualification"), max_length=200, blank=True)
    foreign_language = models.CharField(_("foreign language"), max_length=100, blank=True)
    occupation_before_joining = models.CharField(_("occupation before joining"), max_length=200, blank=True)
    occupation = models.CharField(_("current occupation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    is_army = models.BooleanField(_("army"), default=False)
    is_police = models.BooleanField(_("police"), default=False)
    is_retired = models.BooleanField(_("retired"), default=False)

    joined_on = models.DateField(_("date of joining"))
    official_on = models.DateField(_("date made official"), null=True, blank=True)
    card_number = models.CharField(
        _("party card number"),
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("Another member already has this party card number.")},
    )
    background_file_number = models.CharField(_("background-file number"), max_length=9, blank=True)

    standing = models.CharField(_("standing"), max_length=16, choices=Standing.choices, default=Standing.PROBATIONARY)
    status = models.CharField(_("status"), max_length=32, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    transferred_in_on = models.DateField(_("transferred in on"), null=True, blank=True)
    transferred_in_from = models.CharField(_("transferred in from"), max_length=255, blank=True)
    transferred_out_on = models.DateField(_("transferred out on"), null=True, blank=True)
    transferred_out_to = models.CharField(_("transferred out to"), max_length=255, blank=True)
    left_on = models.DateField(_("date of leaving"), null=True, blank=True)
    leaving_form = models.CharField(_("form of leaving"), max_length=16, choices=LeavingForm.choices, blank=True)
    leaving_reason = models.CharField(_("reason for leaving"), max_length=255, blank=True)
    died_on = models.DateField(_("date of death"), null=True, blank=True)

    # Whether the member can be expected to use the app (see the rollout's second percentage).
    is_eligible = models.BooleanField(_("eligible for the app"), default=True)
    ineligibility_reason = models.CharField(
        _("reason not eligible"), max_length=16, choices=IneligibilityReason.choices, blank=True
    )
    notes = BoundedTextField(_("notes"), blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Bumped on every change, so an edit made against a stale copy is refused, not lost.
    version = models.PositiveIntegerField(default=1, editable=False)

    AUDIT_EXCLUDE = ("search_name", "sort_name", "updated_at", "created_at")

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="member_unit_status"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    def clean(self) -> None:
        validate_member_record(self)


# -- Roster import (members/importing/) ------------------------------------------------------------------


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
    `changes` lists [field, old, new]; `errors` lists {"column", "message"}. `is_applied` makes the
    commit resumable: a batch marks its rows in the same transaction that writes the members.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ImportRowKind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    matched_by = models.CharField(max_length=16, blank=True)
    full_name = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    changes = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    partial_dates = models.JSONField(default=list)
    # A new member's record as the preview checked it (`members.services.stored_new_record`), which the commit
    # writes as it is on the day of the check.
    new_record = models.JSONField(null=True, blank=True)
    is_applied = models.BooleanField(default=False)
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


class MemberReviewFlag(models.Model):
    """Something about a member record that an official should look at; never deletes or changes the record.

    A year-only date from an import is stored as 1 January of that year with a PARTIAL_DATE flag naming
    the field; a member of a covered cell absent from an imported roster gets MISSING_FROM_IMPORT.
    At most one open flag per member, kind and field.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="review_flags")
    kind = models.CharField(_("kind"), max_length=32, choices=MemberReviewFlagKind.choices)
    field = models.CharField(_("field"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review flag")
        verbose_name_plural = _("review flags")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "field"],
                condition=models.Q(resolved_at__isnull=True),
                name="memberreviewflag_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_id}"


class RecordAccess(models.Model):
    """Someone opened a member's full record (citizen ID, addresses, background), or a supporter revealed a
    member's phone number to call them (`kind`): who, whose, when, from where.

    Rows are only ever added, like the change log; exports are in the change log itself (action "export").
    `unit` is the member's cell at the time, so a unit's administrators see the openings of their members.
    """

    time = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what"), max_length=8, choices=RecordAccessKind.choices, default=RecordAccessKind.RECORD)
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=ChangeSource.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("record opened")
        verbose_name_plural = _("records opened")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["unit", "time"], name="recordaccess_unit_time")]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.member_id}"


class QualityRun(models.Model):
    """One pass of the data-quality checks (members.quality) over the whole registry.

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
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
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
