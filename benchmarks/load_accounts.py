"""Accounts for the mixed-role load run (benchmark 5 of benchmarks/README.md), over the demo data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_demo .venv/bin/python benchmarks/load_accounts.py

Makes 300 accounts, one per simulated user, so that no two simulated users share a session or a code:
240 members of the ward's cells (linked to their member records), 30 cell secretaries, 20 committee officers
with a TOTP device (the key derives from the username, so locust can compute the codes: load test only),
10 supporters, and one officer of the central committee (`load_c01`, TOTP too) who publishes the national notice
of the `MemberHomeNationalNotice` run. All share the password below. Running it again changes nothing.
"""

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.registration import user_create  # noqa: E402
from demo.world import LARGE_CODE  # noqa: E402
from members.choices import CLOSED_STATUSES  # noqa: E402
from members.models import Member  # noqa: E402
from orgunits.models import Unit  # noqa: E402

PASSWORD = "load-test-2026"
MEMBERS, SECRETARIES, OFFICERS, SUPPORTERS = 240, 30, 20, 10
REASON = "load test account"


def totp_key(username: str) -> str:
    """The same derivation as benchmarks/locustfile.py: 20 bytes, hex."""
    return hashlib.sha1(f"sotay-load-{username}".encode()).hexdigest()


def account(username: str, *, member=None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=PASSWORD, member=member, reason=REASON)
    return user


def role(user: User, kind: str, unit: Unit) -> None:
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=kind, ends_on=None)


def officer(username: str, unit: Unit) -> None:
    """A committee officer of the unit who passes the two-factor step with a code locust computes."""
    user = account(username)
    role(user, RoleKind.COMMITTEE_OFFICER, unit)
    TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "load test", "key": totp_key(username)}
    )
    User.objects.filter(pk=user.pk).update(two_factor_enabled=True)


@transaction.atomic
def main() -> None:
    ward = Unit.objects.get(code=LARGE_CODE)
    cells = list(Unit.objects.filter(code__startswith=f"{LARGE_CODE}-C").order_by("code")[:SECRETARIES])
    members = (
        Member.objects.filter(unit__path__startswith=ward.path, user__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("unit")
        .order_by("pk")
    )
    have = User.objects.filter(username__startswith="load_m").count()
    for index, member in enumerate(members[: max(0, MEMBERS - have)], start=have + 1):
        user = account(f"load_m{index:03d}", member=member)
        role(user, RoleKind.MEMBER, member.unit)
    for index, cell in enumerate(cells, start=1):
        role(account(f"load_s{index:02d}"), RoleKind.CELL_SECRETARY, cell)
    for index in range(1, OFFICERS + 1):
        officer(f"load_o{index:02d}", ward)
    officer("load_c01", Unit.get_root_nodes().get())
    for index in range(1, SUPPORTERS + 1):
        role(account(f"load_h{index:02d}"), RoleKind.SUPPORTER, ward)
    print(User.objects.filter(username__startswith="load_").count(), "load accounts")


if __name__ == "__main__":
    main()
