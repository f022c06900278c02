"""Officer accounts and their roles from a file: a commune's committee, its secretaries and its support team at once.

One row per role to grant: username, full name, phone, unit code, role. Every row is checked before anything is
written: one wrong row and nothing is written, with every row's problem named. Running the same file again
changes nothing (accounts that exist are reused, roles held are kept). Each new account gets an activation slip
code: the officer signs in for the first time with it, as a member does.
"""

import dataclasses
import datetime

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.tabular import choice_named, read_table
from common.text import PHONE_RE, normalize_phone
from orgunits.models import Unit

from .activation import slip_code_issue
from .choices import RoleKind
from .models import RoleAssignment, User
from .services import role_grant, user_create

# The headings a file may use for each column, folded (no diacritics, lower case).
HEADINGS = {
    "username": ("username", "ten dang nhap"),
    "full_name": ("full name", "ho va ten", "ho ten"),
    "phone": ("phone", "so dien thoai", "dien thoai"),
    "unit": ("unit", "unit code", "ma to chuc", "ma don vi", "to chuc"),
    "role": ("role", "vai tro"),
}


@dataclasses.dataclass
class OfficerRow:
    number: int
    username: str
    full_name: str
    phone: str
    unit: str
    role: str


@dataclasses.dataclass(frozen=True)
class NewOfficer:
    username: str
    code: str
    expires_at: datetime.datetime


@dataclasses.dataclass
class OfficersResult:
    accounts_created: list[NewOfficer] = dataclasses.field(default_factory=list)
    roles_granted: int = 0
    roles_held: int = 0


def read_officer_rows(name: str, content: bytes) -> list[OfficerRow]:
    """The rows of a CSV (UTF-8) or XLSX file, by their headings; ValidationError if a column is missing."""
    return [OfficerRow(number, **values) for number, values in read_table(name, content, HEADINGS)]


@transaction.atomic
def officers_import(*, actor, rows: list[OfficerRow], reason: str = "") -> OfficersResult:
    """Create the accounts and grant the roles of `rows` (see the module's docstring)."""
    problems, checked = [], []
    seen: dict[str, tuple[OfficerRow, str]] = {}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row.unit for row in rows})}
    existing = {
        user.username.lower(): user for user in User.objects.filter(username__in={row.username for row in rows})
    }
    for row in rows:
        found = []
        username = row.username.strip()
        try:
            if not username:
                raise ValidationError(_("The username is missing."))
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            found += error.messages
        if not row.full_name.strip():
            found.append(_("The full name is missing."))
        phone = normalize_phone(row.phone) if row.phone else ""
        if row.phone and not PHONE_RE.match(phone):
            found.append(_("The phone number is not a Vietnamese mobile number of 10 digits."))
        unit = units.get(row.unit.strip())
        if unit is None:
            found.append(_("No unit has the code “%(code)s”.") % {"code": row.unit})
        role = choice_named(row.role, RoleKind)
        if role is None:
            found.append(_("Unknown role “%(role)s”.") % {"role": row.role})
        user = existing.get(username.lower())
        if user is not None and phone and user.phone and user.phone != phone:
            found.append(_("The account %(username)s exists with another phone number.") % {"username": username})
        earlier, earlier_phone = seen.get(username.lower(), (None, ""))
        if earlier is not None and (earlier.full_name.strip(), earlier_phone) != (row.full_name.strip(), phone):
            found.append(_("Row %(row)s gives this username another name or phone.") % {"row": earlier.number})
        seen.setdefault(username.lower(), (row, phone))
        if found:
            problems.append(_("Row %(row)s: %(problems)s") % {"row": row.number, "problems": " ".join(found)})
        else:
            checked.append((row, username, phone, unit, role))
    if problems:
        raise ValidationError(problems)
    result = OfficersResult()
    for row, username, phone, unit, role in checked:
        user = existing.get(username.lower())
        if user is None:
            family, _space, given = row.full_name.strip().rpartition(" ")
            user = user_create(
                actor=actor, username=username, password=None, first_name=given, last_name=family,
                phone=phone or None, reason=reason,
            )  # fmt: skip
            code, expires_at = slip_code_issue(actor=actor, user=user)
            result.accounts_created.append(NewOfficer(username=user.username, code=code, expires_at=expires_at))
            existing[username.lower()] = user
        held = RoleAssignment.objects.filter(user=user, unit=unit, role=role, ends_on=None).exists()
        role_grant(actor=actor, user=user, unit=unit, role=role, reason=reason)
        if held:
            result.roles_held += 1
        else:
            result.roles_granted += 1
    return result
