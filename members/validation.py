"""The rules a member record must satisfy, with messages a secretary can act on."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.dates import add_years, today
from common.text import PHONE_RE
from orgunits.choices import RESIDENCE_AREA_KINDS

from .choices import MemberStatus, Sex, Standing

# Province codes that open a 12-digit citizen ID (Circular 07/2016/TT-BCA and its successors).
CITIZEN_ID_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
MINIMUM_JOINING_AGE = 18

# ASCII digits: \d would also accept Arabic-Indic or full-width digits, and so a second spelling of a number.
CARD_NUMBER_RE = re.compile(r"^[0-9]{8}$")
BACKGROUND_FILE_RE = re.compile(r"^[0-9]{6}[A-Z]{1,3}$")


def normalize_background_file_number(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", (value or "").upper())


# `Sex.values` builds its list anew on each read; the check runs for every row of an import.
_SEXES = frozenset(Sex.values)


def citizen_id_errors(citizen_id: str, *, sex: str | None, date_of_birth: datetime.date | None) -> list[str]:
    """Why `citizen_id` cannot belong to a person of this sex and date of birth (empty: it can).

    Digits 1–3: province of birth registration; digit 4: century and sex (0/1 for 1900s men/women,
    2/3 for 2000s, and so on); digits 5–6: the last two digits of the year of birth.
    """
    if not re.fullmatch(r"[0-9]{12}", citizen_id or ""):
        return [_("A citizen ID has exactly 12 digits.")]
    errors = []
    if citizen_id[:3] not in CITIZEN_ID_PROVINCE_CODES:
        errors.append(
            _("%(code)s is not a province code: the first three digits of a citizen ID name the province.")
            % {"code": citizen_id[:3]}
        )
    century_sex = int(citizen_id[3])
    id_sex = Sex.MALE if century_sex % 2 == 0 else Sex.FEMALE
    if sex in _SEXES and id_sex != sex:  # an unknown sex is refused by its own field
        errors.append(
            _("The fourth digit of the citizen ID is for a %(id_sex)s, but the record says %(sex)s.")
            % {"id_sex": str(Sex(id_sex).label).lower(), "sex": str(Sex(sex).label).lower()}
        )
    if date_of_birth:
        id_century_start = 1900 + 100 * (century_sex // 2)
        if not id_century_start <= date_of_birth.year < id_century_start + 100:
            errors.append(_("The fourth digit of the citizen ID does not match the century of the date of birth."))
        if citizen_id[4:6] != f"{date_of_birth.year % 100:02d}":
            errors.append(
                _("Digits 5–6 of the citizen ID (%(digits)s) do not match the year of birth %(year)s.")
                % {"digits": citizen_id[4:6], "year": date_of_birth.year}
            )
    return errors


_DATE_FIELDS = (
    "date_of_birth",
    "joined_on",
    "official_on",
    "status_since",
    "transferred_in_on",
    "transferred_out_on",
    "left_on",
    "died_on",
)


def validate_member_record(member, *, as_of: datetime.date | None = None) -> None:
    """Cross-field rules of a member record; raises ValidationError keyed by field.

    `as_of`: the day dates may not pass (today); a caller checking many records reads it once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    now = as_of or today()
    for field in _DATE_FIELDS:
        value = getattr(member, field)
        if value and value > now:
            add(field, _("This date cannot be in the future."))

    if member.citizen_id:
        for message in citizen_id_errors(member.citizen_id, sex=member.sex, date_of_birth=member.date_of_birth):
            add("citizen_id", message)
    if member.card_number and not CARD_NUMBER_RE.fullmatch(member.card_number):
        add("card_number", _("A party card number has exactly 8 digits."))
    if member.background_file_number and not BACKGROUND_FILE_RE.fullmatch(member.background_file_number):
        add(
            "background_file_number",
            _("A background-file number is 6 digits followed by the 1–3 letter province code, e.g. 012345HN."),
        )
    if member.phone and not PHONE_RE.fullmatch(member.phone):
        add("phone", _("Enter a Vietnamese phone number of 10 or 11 digits starting with 0, e.g. 0912345678."))

    if (
        member.date_of_birth
        and member.joined_on
        and member.joined_on < add_years(member.date_of_birth, MINIMUM_JOINING_AGE)
    ):
        add("joined_on", _("A member must be at least 18 years old on the date of joining."))
    if member.standing == Standing.OFFICIAL and not member.official_on:
        add("official_on", _("An official member needs the date they were made official."))
    if member.standing == Standing.PROBATIONARY and member.official_on:
        add("standing", _("A member with a date made official is an official member, not a probationary one."))
    if member.official_on and member.joined_on and member.official_on <= member.joined_on:
        add("official_on", _("The date made official must be after the date of joining."))

    if member.status == MemberStatus.DECEASED and not member.died_on:
        add("died_on", _("Enter the date of death."))
    if member.died_on and member.status != MemberStatus.DECEASED:
        add("status", _("A member with a date of death must have the status “deceased”."))
    if member.died_on and member.date_of_birth and member.died_on < member.date_of_birth:
        add("died_on", _("The date of death cannot be before the date of birth."))
    if member.status == MemberStatus.LEFT:
        if not member.left_on:
            add("left_on", _("Enter the date the member left the party."))
        if not member.leaving_form:
            add("leaving_form", _("Enter how the member left the party (resigned, struck off, expelled)."))
    if member.left_on and member.joined_on and member.left_on < member.joined_on:
        add("left_on", _("The leaving date cannot be before the date of joining."))
    if (
        member.status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.TRANSFERRED_OUT_TEMPORARILY)
        and not member.transferred_out_on
    ):
        add("transferred_out_on", _("Enter the date of the transfer."))

    if not member.is_eligible and not member.ineligibility_reason:
        add("ineligibility_reason", _("Say why the member cannot use the app."))
    if member.is_eligible and member.ineligibility_reason:
        add("ineligibility_reason", _("An eligible member has no reason for ineligibility."))

    if member.unit_id and not member.unit.is_cell:
        add("unit", _("The place of party activity must be a cell."))
    if member.residence_area_id and member.residence_area.kind not in RESIDENCE_AREA_KINDS:
        add("residence_area", _("The residence must be a village or a residential group."))

    if errors:
        raise ValidationError(errors)
