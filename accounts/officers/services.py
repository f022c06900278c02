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

from common.tabular import choice_named, read_table, row_problems
from common.text import PHONE_RE, normalize_phone
from orgunits.models import Unit

from ..activation_codes import slip_code_issue
from ..choices import Permission, RoleKind
from ..models import RoleAssignment, User
from ..registration import phone_is_free, user_create
from ..scoping import has_unit_permission
from ..services import role_grant

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
    full_name: str
    code: str
    expires_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class OfficerGrant:
    """One checked row: the role to grant, and whether the account is new (its first row) or the role held."""

    row: OfficerRow
    username: str
    phone: str
    user: User | None  # the account that exists already
    unit: Unit
    role: str
    is_new_account: bool
    is_held: bool

    @property
    def role_label(self) -> str:
        return RoleKind(self.role).label


@dataclasses.dataclass
class OfficersPlan:
    """What the file does, row by row, once every row is right."""

    grants: list[OfficerGrant] = dataclasses.field(default_factory=list)

    @property
    def accounts_to_create(self) -> list[OfficerGrant]:
        return [grant for grant in self.grants if grant.is_new_account]

    @property
    def roles_to_grant(self) -> list[OfficerGrant]:
        return [grant for grant in self.grants if not grant.is_held]

    @property
    def roles_held(self) -> list[OfficerGrant]:
        return [grant for grant in self.grants if grant.is_held]


@dataclasses.dataclass
class OfficersResult:
    accounts_created: list[NewOfficer] = dataclasses.field(default_factory=list)
    roles_granted: int = 0
    roles_held: int = 0


def read_officer_rows(name: str, content: bytes) -> list[OfficerRow]:
    """The rows of a CSV (UTF-8) or XLSX file, by their headings; ValidationError if a column is missing."""
    return [OfficerRow(number, **values) for number, values in read_table(name, content, HEADINGS)]


def officers_plan(rows: list[OfficerRow], *, actor: User | None = None) -> OfficersPlan:
    """Check every row as `actor` may grant (None: the system) and say what each does; writes nothing.
    ValidationError naming each wrong row with all its problems."""
    problems = []
    plan = OfficersPlan()
    seen: dict[str, tuple[OfficerRow, str]] = {}
    phone_rows: dict[str, tuple[OfficerRow, str]] = {}
    planned: set[tuple[str, int, str]] = set()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row.unit.strip() for row in rows})}
    existing = {
        user.username.lower(): user for user in User.objects.filter(username__in={row.username.strip() for row in rows})
    }
    held = set(
        RoleAssignment.objects.filter(user__in=existing.values(), ends_on=None).values_list(
            "user_id", "unit_id", "role"
        )
    )
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
        phone = normalize_phone(row.phone) if row.phone.strip() else ""
        if phone and not PHONE_RE.match(phone):
            found.append(_("The phone number is not a Vietnamese mobile number of 10 digits."))
        unit = units.get(row.unit.strip())
        if unit is None:
            found.append(_("No unit has the code “%(code)s”.") % {"code": row.unit})
        elif actor is not None and not has_unit_permission(actor, Permission.ROLE_MANAGE, unit):
            found.append(_("You may not grant roles in unit %(code)s.") % {"code": unit.code})
        role = choice_named(row.role, RoleKind)
        if role is None:
            found.append(_("Unknown role “%(role)s”.") % {"role": row.role})
        user = existing.get(username.lower())
        if user is not None and phone and user.phone and user.phone != phone:
            found.append(_("The account %(username)s exists with another phone number.") % {"username": username})
        elif user is None and phone and PHONE_RE.match(phone) and not phone_is_free(phone=phone):
            found.append(
                _("The phone number %(phone)s is already used by another member or account.") % {"phone": phone}
            )
        earlier, earlier_phone = seen.get(username.lower(), (None, ""))
        if earlier is not None and (earlier.full_name.strip(), earlier_phone) != (row.full_name.strip(), phone):
            found.append(_("Row %(row)s gives this username another name or phone.") % {"row": earlier.number})
        phone_earlier, phone_username = phone_rows.get(phone, (None, ""))
        if phone and phone_earlier is not None and phone_username != username.lower():
            found.append(_("Row %(row)s gives this phone number to another username.") % {"row": phone_earlier.number})
        seen.setdefault(username.lower(), (row, phone))
        if phone:
            phone_rows.setdefault(phone, (row, username.lower()))
        if found:
            problems.append(row_problems(row.number, found))
            continue
        is_new_account = user is None and seen[username.lower()][0] is row
        key = (username.lower(), unit.pk, role)
        is_held = key in planned or (user is not None and (user.pk, unit.pk, role) in held)
        planned.add(key)
        plan.grants.append(
            OfficerGrant(
                row=row, username=username, phone=phone, user=user, unit=unit, role=role, is_new_account=is_new_account,
                is_held=is_held,
            )
        )  # fmt: skip
    if problems:
        raise ValidationError(problems)
    return plan


@transaction.atomic
def officers_import(*, actor: User, rows: list[OfficerRow], reason: str = "") -> OfficersResult:
    """Create the accounts and grant the roles of `officers_plan(rows, actor=actor)` (see the module's docstring)."""
    plan = officers_plan(rows, actor=actor)
    result = OfficersResult()
    users: dict[str, User] = {}
    for grant in plan.grants:
        user = grant.user or users.get(grant.username.lower())
        if user is None:
            full_name = grant.row.full_name.strip()
            family, _space, given = full_name.rpartition(" ")
            user = user_create(
                actor=actor, username=grant.username, password=None, first_name=given, last_name=family,
                phone=grant.phone or None, reason=reason,
            )  # fmt: skip
            code, expires_at = slip_code_issue(actor=actor, user=user)
            result.accounts_created.append(
                NewOfficer(username=user.username, full_name=full_name, code=code, expires_at=expires_at)
            )
        users[grant.username.lower()] = user
        role_grant(actor=actor, user=user, unit=grant.unit, role=grant.role, reason=reason)
        if grant.is_held:
            result.roles_held += 1
        else:
            result.roles_granted += 1
    return result
