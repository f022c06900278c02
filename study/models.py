"""Study: a committee assigns material to its subtree for a period; members study it step by step (its text, then
each document), take its quiz, and the committee follows who has studied and passed, unit by unit.

A member's progress row is made when they first open the assignment; its attempts are kept, never deleted."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import ANSWER_LETTERS, MaterialKind


class StudyAssignment(models.Model):
    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="study_assignments"
    )
    kind = models.CharField(_("what to study"), max_length=16, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = BoundedTextField(_("text to study"), blank=True)
    documents = models.ManyToManyField("library.Document", verbose_name=_("documents"), blank=True, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("study assignment")
        verbose_name_plural = _("study assignments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="study_period_order")
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="study_unit_starts")]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.withdrawn_at is None and self.starts_on <= day <= self.ends_on


class StudyQuestion(models.Model):
    assignment = models.ForeignKey(StudyAssignment, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("question"), max_length=1000)
    is_multiple = models.BooleanField(_("more than one answer may be right"), default=False)
    explanation = BoundedTextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class StudyChoice(models.Model):
    question = models.ForeignKey(StudyQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("right"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def letter(self) -> str:
        return ANSWER_LETTERS[self.position - 1]


class StudyProgress(models.Model):
    """One member on one assignment: the steps read, when it was studied (alone, or marked by the secretary for a
    cell meeting where it was studied together), and the quiz."""

    assignment = models.ForeignKey(StudyAssignment, on_delete=models.PROTECT, related_name="progress")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="study_progress")
    steps_done = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    studied_at = models.DateTimeField(_("studied at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("studied at the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attempts_used = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("study progress")
        verbose_name_plural = _("study progress")
        constraints = [models.UniqueConstraint(fields=["assignment", "member"], name="study_progress_once")]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.member_id}"


class QuizAttempt(models.Model):
    progress = models.ForeignKey(StudyProgress, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    # {question id: [choice ids]} as the member answered.
    answers = models.JSONField(default=dict)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["progress", "number"], name="quiz_attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.progress_id}#{self.number}"
