from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Standing(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXEMPT = "exempt", _("Exempt from work and activities")
    TEMPORARILY_EXEMPT = "temporarily_exempt", _("Temporarily exempt")
    TRANSFERRED_OUT_TEMPORARILY = "transferred_out_temporarily", _("Transferred out temporarily")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    LEFT = "left", _("Left the party")
    DECEASED = "deceased", _("Deceased")


# Members still on the cell's roll: they move with the cell when cells merge and keep a unit open.
CURRENT_STATUSES = frozenset(
    {
        MemberStatus.ACTIVE,
        MemberStatus.EXEMPT,
        MemberStatus.TEMPORARILY_EXEMPT,
        MemberStatus.TRANSFERRED_OUT_TEMPORARILY,
    }
)
# Nobody who has left the party or died can be given an account.
CLOSED_STATUSES = frozenset({MemberStatus.LEFT, MemberStatus.DECEASED})


class LeavingForm(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    STRUCK_OFF = "struck_off", _("Struck off")
    EXPELLED = "expelled", _("Expelled")


class IneligibilityReason(models.TextChoices):
    NO_SMARTPHONE = "no_smartphone", _("No smartphone")
    EXEMPT = "exempt", _("Exempt from activities")
    ILLNESS = "illness", _("Illness")
    SPECIAL_UNIT = "special_unit", _("Special unit")
    ABROAD = "abroad", _("Abroad")
    OTHER = "other", _("Other")


class PoliticalTheory(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    BACHELOR = "bachelor", _("Bachelor")


class RecordAccessKind(models.TextChoices):
    """What of a member's personal data someone other than the member opened (members.models.RecordAccess)."""

    RECORD = "record", _("Full record")
    PHONE = "phone", _("Phone number")
