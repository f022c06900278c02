"""A user's roles kept between requests (accounts.scoping._role_summary): each new request, as a fresh user
object, sees a grant, a revocation or a unit moved at once, and reads no role row while nothing changed."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Permission, RoleKind
from accounts.models import RoleAssignment, User
from accounts.scoping import granted_unit_paths, held_roles
from accounts.services import role_grant, role_revoke
from accounts.tests.factories import make_user
from common.tests import clock
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.services import unit_move
from orgunits.tests.factories import make_unit


def as_next_request(user) -> User:
    """The same account as the next request loads it: nothing read during an earlier request is left on it."""
    return User.objects.get(pk=user.pk)


def role_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        held_roles(user)
    return sum("accounts_roleassignment" in query["sql"] for query in queries.captured_queries)


def test_roles_are_read_once_and_then_kept(tree):
    officer = tree.users["officer_a"]

    assert role_queries(as_next_request(officer)) == 1
    assert role_queries(as_next_request(officer)) == 0
    assert held_roles(as_next_request(officer)) == ((RoleKind.COMMITTEE_OFFICER, tree.commune_a.path),)


def test_a_grant_counts_on_the_next_request(tree):
    user = tree.users["no_role"]
    assert granted_unit_paths(as_next_request(user), Permission.MEMBER_VIEW) == []

    role_grant(actor=tree.users["admin_a"], user=user, unit=tree.cell_a2, role=RoleKind.CELL_SECRETARY)

    assert granted_unit_paths(as_next_request(user), Permission.MEMBER_VIEW) == [tree.cell_a2.path]


def test_a_revocation_counts_on_the_next_request(tree):
    officer = tree.users["officer_a"]
    assert granted_unit_paths(as_next_request(officer), Permission.MEMBER_VIEW) == [tree.commune_a.path]

    role_revoke(actor=tree.users["admin_a"], assignment=RoleAssignment.objects.get(user=officer))

    assert granted_unit_paths(as_next_request(officer), Permission.MEMBER_VIEW) == []


def test_a_unit_moved_gives_its_officers_the_new_path(tree):
    officer = tree.users["officer_a"]
    assert granted_unit_paths(as_next_request(officer), Permission.MEMBER_VIEW) == [tree.commune_a.path]
    other_province = make_unit(parent=tree.central, kind=UnitKind.PROVINCE_COMMITTEE, name="Tỉnh B", code="TB")
    central_admin = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.central, username="central_admin")

    unit_move(actor=central_admin, unit=tree.commune_a, new_parent=other_province)

    moved = Unit.objects.get(pk=tree.commune_a.pk)
    assert moved.path != tree.commune_a.path
    assert granted_unit_paths(as_next_request(officer), Permission.MEMBER_VIEW) == [moved.path]


def test_roles_are_kept_for_one_day_only(tree, time_machine):
    officer = tree.users["officer_a"]
    role = RoleAssignment.objects.get(user=officer)
    role.ends_on = clock.TODAY + datetime.timedelta(days=1)
    role.save()
    assert held_roles(as_next_request(officer))

    time_machine.move_to(clock.at(role.ends_on, hour=0, minute=0))

    assert held_roles(as_next_request(officer)) == ()


def test_with_keeping_turned_off_roles_are_read_on_every_request(tree, settings):
    settings.ROLES_KEPT_SECONDS = 0
    officer = tree.users["officer_a"]

    assert role_queries(as_next_request(officer)) == 1
    assert role_queries(as_next_request(officer)) == 1
