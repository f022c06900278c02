from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CURRENT_STATUSES, IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
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
    notes = models.TextField(_("notes"), blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Bumped on every change, so an edit made against a stale copy is refused, not lost.
    version = models.PositiveIntegerField(default=1, editable=False)

    AUDIT_EXCLUDE = ("search_name", "updated_at", "created_at")

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["search_name", "id"]
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
