from accounts.models import RoleAssignment
from accounts.registration import user_create
from common.tests.serials import Serial

_serial = Serial()
PASSWORD = "Mat-khau-thu-nghiem-2026"


def make_user(*, role=None, unit=None, member=None, username=None, password=PASSWORD, **fields):
    user = user_create(
        actor=None, username=username or f"user{next(_serial)}", password=password, member=member, **fields
    )
    if role:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def make_civic_role(*, user, kind, place):
    """A civic role (accounts.CivicRole) on an organisation or a village, granted by the system."""
    from accounts.officers.civic import civic_role_grant

    return civic_role_grant(actor=None, kind=kind, place=place, username=user.username).role
