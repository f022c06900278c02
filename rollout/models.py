from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Affiliation, HelpOutcome, HelpPlace, HelpTopic, TeamKind


class CounterColumns(models.Model):
    members = models.IntegerField(_("members"), default=0)
    eligible = models.IntegerField(_("eligible members"), default=0)
    activated = models.IntegerField(_("activated"), default=0)
    verified = models.IntegerField(_("records verified by the member"), default=0)
    help_sessions = models.IntegerField(_("help sessions"), default=0)

    class Meta:
        abstract = True


class UnitFigures(CounterColumns):
    """The rollout figures of a unit's whole subtree, now: one row per unit, kept for the unit and every ancestor.

    Members, eligible, activated and verified count current members (on the roll); help sessions count
    members helped, at the cell the member attended on the day. Updated with F() in the same transaction
    as the change (see rollout/counters.py); `manage.py recount_rollout` rebuilds them from scratch.
    """

    # Derived data: it goes with its unit (units are closed, not deleted; only test clean-ups delete them).
    unit = models.OneToOneField("orgunits.Unit", primary_key=True, on_delete=models.CASCADE, related_name="figures")

    class Meta:
        verbose_name = _("unit figures")
        verbose_name_plural = _("unit figures")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.activated}/{self.members}"


class UnitDailyDelta(CounterColumns):
    """How a unit subtree's figures changed on one day. The sum of the rows up to a date is the figure as of that date."""

    unit = models.ForeignKey("orgunits.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("daily change of unit figures")
        verbose_name_plural = _("daily changes of unit figures")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_delta_row_per_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class RecordVerification(models.Model):
    """A member confirmed that their own record is right (issue 5 records it through `member_verification_recorded`)."""

    member = models.OneToOneField("members.Member", on_delete=models.PROTECT, related_name="record_verification")
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("record verification")
        verbose_name_plural = _("record verifications")

    def __str__(self) -> str:
        return f"{self.member_id} {self.verified_at:%Y-%m-%d}"


class Team(models.Model):
    """A support team or a community digital technology team, working in a unit's area or one village."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=TeamKind.choices, default=TeamKind.SUPPORT_TEAM)
    # The unit whose members the team helps (usually the commune): it decides who can manage the team.
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams")
    # Optionally narrowed to one village or residential group (members living there).
    area = models.ForeignKey(
        "orgunits.AdminArea",
        verbose_name=_("village / residential group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A user helping in a team; they need not be a party member."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships")
    affiliation = models.CharField(_("affiliation"), max_length=16, choices=Affiliation.choices)
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team_user")]

    def __str__(self) -> str:
        return str(self.user)


class WorklistAssignment(models.Model):
    """A member on a team's worklist given to one team member to follow up."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "member"], name="one_assignment_per_team_member")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.assignee_id}"


class HelpSession(models.Model):
    """A supporter helping one or more members (lượt hỗ trợ): a domain event with typed place, topic and outcome."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="sessions")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_sessions")
    place = models.CharField(_("where"), max_length=16, choices=HelpPlace.choices)
    topic = models.CharField(_("what"), max_length=16, choices=HelpTopic.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=HelpOutcome.choices)
    is_hand_holding = models.BooleanField(_("hand-holding"), default=False)
    has_consent = models.BooleanField(_("the member consented"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    happened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        indexes = [models.Index(fields=["team", "happened_at"], name="help_session_team_time")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.happened_at:%d/%m/%Y}"


class HelpSessionMember(models.Model):
    """One member helped in a session, with the cell they attended then (the help-session counter's unit)."""

    session = models.ForeignKey(HelpSession, on_delete=models.CASCADE, related_name="helped")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="help_received")
    unit = models.ForeignKey("orgunits.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_row_per_session_member")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.member_id}"


class RolloutPlan(models.Model):
    """A unit's rollout plan (kế hoạch triển khai): by `deadline`, `target_percent` of the eligible members of its
    subtree activated. The figures of the unit and of every unit below it show their progress against the plan in
    force for them: the latest plan of the nearest unit that issued one."""

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rollout_plans"
    )
    number = models.CharField(_("number and symbol"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=200)
    target_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("target (% of eligible members activated)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    deadline = models.DateField(_("completion deadline"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("rollout plan")
        verbose_name_plural = _("rollout plans")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="rolloutplan_number_once_per_unit"),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("issued_on")), name="rolloutplan_deadline_after_issue"
            ),
            models.CheckConstraint(
                condition=models.Q(target_percent__gte=1, target_percent__lte=100), name="rolloutplan_target_percent"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-issued_on"], name="rolloutplan_unit_issued")]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        if self.issued_on and self.deadline and self.deadline <= self.issued_on:
            raise ValidationError({"deadline": _("The deadline must come after the day the plan is issued.")})


class TrainingSession(models.Model):
    """A training for those who install and operate the app (tập huấn): who trained whom, when and where."""

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=200)
    trainees = models.CharField(_("trainees"), max_length=300, help_text=_("Who was trained, e.g. cell secretaries."))
    trainee_count = models.PositiveIntegerField(
        _("number of people trained"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["unit", "-held_on"], name="training_unit_held_on")]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.topic}"
