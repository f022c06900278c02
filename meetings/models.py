"""Cell meetings: repeating series, the concrete meetings, their materials and each expected member's attendance."""

import datetime
import pathlib
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField
from common.storage import PrivateStorage

from .choices import (
    CheckInMethod,
    ExcuseDecision,
    MeetingKind,
    PassingRule,
    Presence,
    RepeatRule,
    Reply,
    VoteChoice,
    VoteMethod,
    Weekday,
    WeekOfMonth,
)


def private_storage() -> PrivateStorage:
    """Where the meeting materials and minutes are kept; the migrations name this function, so it stays here."""
    return PrivateStorage(refusal="Meeting files have no public URL.")


def meeting_file_name(instance, filename: str) -> str:
    # A random name: the original name is kept in the row, never on the disk.
    return str(pathlib.PurePosixPath("meetings", f"{uuid.uuid4().hex}.pdf"))


class MeetingSeries(models.Model):
    """A repeating rule ("monthly on day N" or "the Nth weekday of the month") with a time and a place.

    `meetings.services.series_generate` turns it into concrete meetings for the coming months; each generated
    meeting remembers the date the rule gave (`series_date`), so running it again adds nothing.
    """

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    title = models.CharField(_("title"), max_length=200)
    rule = models.CharField(_("repeats"), max_length=20, choices=RepeatRule.choices, default=RepeatRule.DAY_OF_MONTH)
    # DAY_OF_MONTH: the day (31 in a 30-day month, or in February, is the month's last day).
    day = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    # WEEKDAY_OF_MONTH: e.g. the first (week=1) Saturday (weekday=5); week=5 is the last one.
    week = models.PositiveSmallIntegerField(_("which week"), null=True, blank=True, choices=WeekOfMonth.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True, choices=Weekday.choices)
    time = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(12 * 60)]
    )
    place = models.CharField(_("place"), max_length=255)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["unit", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.rule == RepeatRule.DAY_OF_MONTH and not self.day:
            errors["day"] = _("Choose the day of the month.")
        if self.rule == RepeatRule.WEEKDAY_OF_MONTH:
            if not self.week:
                errors["week"] = _("Choose which week of the month.")
            if self.weekday is None:
                errors["weekday"] = _("Choose the weekday.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end is before the start.")
        if errors:
            raise ValidationError(errors)


class Meeting(models.Model):
    """One meeting of a cell (or of a grassroots committee): scheduled, invited, held, minuted."""

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    # The date the series' rule gave; with `series` it makes generating twice harmless.
    series_date = models.DateField(null=True, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    topic = models.CharField(_("topic"), max_length=255)
    agenda = BoundedTextField(_("agenda"), blank=True)
    place = models.CharField(_("place"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    invitations_sent_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)
    minutes = BoundedTextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to=meeting_file_name, storage=private_storage, blank=True)
    resolution = BoundedTextField(_("resolution"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    # A cancelled meeting stays, with its reason, so members who were invited can read why.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # The change log keeps JSON: the file itself is not logged (its recording time is).
    AUDIT_EXCLUDE = ("minutes_file",)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["unit", "starts_at"], name="meeting_unit_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_date"], condition=Q(series__isnull=False), name="one_meeting_per_series_date"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def is_over(self, now: datetime.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())


class Material(models.Model):
    """A document (PDF) sent ahead with the meeting; served only to those who may see the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=meeting_file_name, storage=private_storage)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    AUDIT_EXCLUDE = ("file",)

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One expected member at one meeting: their answer to the invitation, an excuse, and whether they came.

    The rows are the list of expected members: written when invitations go out and refreshed while the
    meeting is being held; frozen once the minutes are recorded.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="meeting_attendances")
    reply = models.CharField(_("answer"), max_length=20, choices=Reply.choices, blank=True, default=Reply.NONE)
    excuse_reason = models.CharField(_("reason for the excuse"), max_length=500, blank=True)
    excuse = models.CharField(_("excuse"), max_length=10, choices=ExcuseDecision.choices, blank=True, default="")
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices, blank=True, default="")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    method = models.CharField(_("recorded by"), max_length=10, choices=CheckInMethod.choices, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_meeting_member")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id} {self.presence}"

    @property
    def is_excused(self) -> bool:
        return self.presence == Presence.EXCUSED or self.excuse == ExcuseDecision.ACCEPTED

    @property
    def is_absent_without_reason(self) -> bool:
        """Only meaningful for a meeting that was held: not present and no accepted excuse."""
        return self.presence != Presence.PRESENT and not self.is_excused


class AbsenceFlag(models.Model):
    """A member absent without an accepted excuse in three different months of one year (a ground for striking off).

    Written once per member and year, when the rule is first met; the secretary is notified then.
    """

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgunits.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    flagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("absence flag")
        verbose_name_plural = _("absence flags")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="one_absence_flag_per_member_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class AgendaComment(models.Model):
    """A comment on the meeting's agenda, written before the meeting starts by a member of the cell (expected or
    not: exempt, ill and away members may comment too) or by someone who manages the cell. The secretary answers
    it, or marks it taken into the meeting (the minutes can then quote it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's member record, when they have one: the page names members as the cell knows them.
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    taken_into_meeting_at = models.DateTimeField(_("taken into the meeting at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda comment")
        verbose_name_plural = _("agenda comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["meeting", "created_at"], name="agenda_comment_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.text[:40]}"

    @property
    def is_taken_into_meeting(self) -> bool:
        return self.taken_into_meeting_at is not None


class Vote(models.Model):
    """A vote of the meeting on one matter, opened and closed by the secretary.

    By show of hands the secretary enters the counts when closing; electronically each present member votes on
    their phone. A secret vote keeps who voted (VoteCast) apart from the counts (BallotTally, no ballot rows): nothing
    links a member to their choice. The figures and the result are frozen when the vote closes.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    matter = models.CharField(_("matter voted on"), max_length=500)
    method = models.CharField(_("how"), max_length=16, choices=VoteMethod.choices, default=VoteMethod.SHOW_OF_HANDS)
    is_secret = models.BooleanField(_("secret vote"), default=False)
    # Điều lệ Đảng, Điều 5: probationary members have the rights of official members except voting, standing and
    # electing. Only a consultative vote (an opinion, not a decision) lets them take part.
    probationary_members_vote = models.BooleanField(_("probationary members vote (consultative only)"), default=False)
    passing_rule = models.CharField(
        _("passes with"), max_length=24, choices=PassingRule.choices, default=PassingRule.MAJORITY_OF_ROLL
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Frozen at closing: the official members with a vote, those present, and the counts.
    members_with_a_vote = models.PositiveIntegerField(null=True, blank=True)
    members_present = models.PositiveIntegerField(null=True, blank=True)
    count_for = models.PositiveIntegerField(null=True, blank=True)
    count_against = models.PositiveIntegerField(null=True, blank=True)
    count_abstain = models.PositiveIntegerField(null=True, blank=True)
    has_quorum = models.BooleanField(null=True, blank=True)
    is_passed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return self.matter

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VoteCast(models.Model):
    """That a member voted electronically (one row per member and vote). In an open vote it also keeps the
    choice; in a secret one `choice` stays empty and the choice exists only in its count (BallotTally)."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="casts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)
    choice = models.CharField(max_length=10, choices=VoteChoice.choices, blank=True)

    class Meta:
        verbose_name = _("vote cast")
        verbose_name_plural = _("votes cast")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_vote_cast_per_member")]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.member_id}"


class BallotTally(models.Model):
    """How many electronic ballots chose one answer in a vote: one row per vote and choice, counted up as each
    ballot comes in. No row exists per ballot, so neither a column nor the order or the time of rows can tie a
    choice to the VoteCast written with it."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="tallies")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ballot tally")
        verbose_name_plural = _("ballot tallies")
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="one_tally_per_vote_and_choice")]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.choice} {self.count}"
