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


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    NOTICE = "notice", _("Notice")


class Responsible(models.TextChoices):
    COMMUNE = "commune", _("Commune party committee")
    CELL = "cell", _("Cell")


class ImportState(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the column mapping")
    PREVIEWING = "previewing", _("Checking the rows")
    PREVIEWED = "previewed", _("Ready to apply")
    COMMITTING = "committing", _("Applying the changes")
    COMMITTED = "committed", _("Applied")
    FAILED = "failed", _("Failed")


class ImportRowKind(models.TextChoices):
    NEW = "new", _("New member")
    CHANGED = "changed", _("Changed")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")
    MISSING = "missing", _("Missing from the file")
    # Matched to a member who looks like someone else: waits for the officer's decision (ImportRowDecision).
    CONFLICT = "conflict", _("Identity conflict")
    # Shares its card number or citizen ID with another row of the file: waits until the officer says which row
    # holds the number (KEEP) and which are skipped; `kind_if_kept` is what the row becomes when kept.
    DUPLICATE = "duplicate", _("Duplicate in the file")


class ImportRowDecision(models.TextChoices):
    SAME_PERSON = "same_person", _("Same person: update the member")
    DIFFERENT_PERSON = "different_person", _("Different person: do not apply")
    SKIP = "skip", _("Skip this row")
    KEEP = "keep", _("This row holds the number: apply it")


class MemberReviewFlagKind(models.TextChoices):
    MISSING_FROM_IMPORT = "missing_from_import", _("Missing from an imported roster")
    PARTIAL_DATE = "partial_date", _("Only the year is known")
    # A value an import brought in although it breaks a rule of the record (a citizen ID that fails its check,
    # dates out of order…): the member is kept, the problem named; open until the field is corrected.
    IMPORT_PROBLEM = "import_problem", _("Problem recorded at import")


class QualityRunState(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ExportKind(models.TextChoices):
    CELL_LIST = "7hsdv", _("Cell member list (7-HSĐV)")
    REGISTRY = "registry", _("Full registry")
    MEMBER_LIST = "list", _("Member list")
