import datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from accounts.backends import find_user_by_identifier
from accounts.choices import Permission, RoleKind
from accounts.models import RoleAssignment
from accounts.scoping import forget_cached_scope, granted_unit_paths, has_unit_permission, held_roles
from accounts.services import role_grant, role_revoke
from accounts.tests.factories import PASSWORD, make_user
from members.selectors import members_visible_to, own_member
from orgunits.models import AdminArea, Unit
from orgunits.selectors import areas_visible_to, units_visible_to


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_a_role_on_a_commune_covers_its_whole_subtree_and_nothing_else(tree):
    assert codes(units_visible_to(tree.users["officer_a"])) == ["XA", "XA-C1", "XA-C2", "XA-G", "XA-G-C1"]


def test_a_role_on_the_province_covers_both_communes(tree):
    visible = set(members_visible_to(tree.users["province_viewer"]))
    assert visible == {tree.member_a1, tree.member_a2, tree.member_b1}


def test_a_secretary_sees_only_the_members_of_their_cell(tree):
    assert list(members_visible_to(tree.users["secretary_a1"])) == [tree.member_a1]


def test_a_plain_member_sees_their_cell_but_no_member_records(tree):
    user = tree.users["member_a1"]
    assert codes(units_visible_to(user)) == ["XA-C1"]
    assert not members_visible_to(user).exists()


def test_a_user_without_a_role_sees_nothing(tree):
    user = tree.users["no_role"]
    assert not units_visible_to(user).exists() and not members_visible_to(user).exists()


def test_an_anonymous_visitor_sees_nothing(tree):
    assert not units_visible_to(AnonymousUser()).exists()


def test_a_role_that_has_ended_grants_nothing(tree):
    user = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.commune_a)
    RoleAssignment.objects.filter(user=user).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)
    )
    assert granted_unit_paths(user, Permission.MEMBER_VIEW) == []


def test_nested_roles_collapse_to_the_outermost_unit(tree):
    user = make_user(role=RoleKind.VIEWER, unit=tree.province)
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleKind.VIEWER)
    assert granted_unit_paths(user, Permission.MEMBER_VIEW) == [tree.province.path]


def test_a_viewer_may_see_but_not_change(tree):
    viewer = tree.users["province_viewer"]
    assert has_unit_permission(viewer, Permission.MEMBER_VIEW, tree.cell_a1)
    assert not has_unit_permission(viewer, Permission.MEMBER_CHANGE, tree.cell_a1)


def test_areas_follow_the_areas_served_by_the_units_in_scope(tree):
    assert codes(areas_visible_to(tree.users["officer_a"])) == ["AR-XA", "AR-XA-T1"]
    assert codes(areas_visible_to(tree.users["officer_b"])) == ["AR-XB"]
    assert AdminArea.objects.count() == len(codes(areas_visible_to(tree.users["province_viewer"])))


def test_roles_are_granted_and_revoked_only_by_administrators_in_scope(tree):
    newcomer = make_user()
    with pytest.raises(PermissionDenied):
        role_grant(actor=tree.users["officer_a"], user=newcomer, unit=tree.cell_a1, role=RoleKind.VIEWER)
    with pytest.raises(PermissionDenied):
        role_grant(actor=tree.users["admin_a"], user=newcomer, unit=tree.cell_b1, role=RoleKind.VIEWER)

    assignment = role_grant(actor=tree.users["admin_a"], user=newcomer, unit=tree.cell_a1, role=RoleKind.VIEWER)
    assert codes(units_visible_to(newcomer)) == ["XA-C1"]
    role_revoke(actor=tree.users["admin_a"], assignment=assignment)
    newcomer_next_request = type(newcomer).objects.get(pk=newcomer.pk)
    assert not units_visible_to(newcomer_next_request).exists()


def test_a_user_signs_in_with_username_phone_or_citizen_id(tree):
    user = make_user(member=tree.member_a2, username="binh")
    request = RequestFactory().post("/")
    for identifier in ["binh", "BINH", tree.member_a2.phone, tree.member_a2.citizen_id]:
        assert authenticate(request, username=identifier, password=PASSWORD) == user, identifier


def test_a_wrong_password_does_not_sign_in(tree):
    make_user(username="binh")
    assert authenticate(RequestFactory().post("/"), username="binh", password="sai-mat-khau") is None


def test_an_identifier_shared_by_two_users_signs_in_nobody(tree):
    make_user(username="0912000111")
    make_user(phone="0912000111")
    assert find_user_by_identifier("0912000111") is None


def test_unit_paths_are_materialised_prefixes(tree):
    assert tree.cell_a1.path.startswith(tree.commune_a.path) and not tree.cell_b1.path.startswith(tree.commune_a.path)
    assert Unit.objects.filter(path__startswith=tree.commune_a.path).count() == 5


def test_the_roles_and_own_record_are_read_once_per_request(tree, django_assert_num_queries):
    user = type(tree.users["member_a1"]).objects.get(username="member_a1")

    with django_assert_num_queries(2):
        assert held_roles(user) == ((RoleKind.MEMBER, tree.cell_a1.path),)
        assert own_member(user) == tree.member_a1
        # Asked again, and through what follows the link: nothing more is read.
        assert held_roles(user) == ((RoleKind.MEMBER, tree.cell_a1.path),)
        assert own_member(user).unit.path == user.member.unit.path == tree.cell_a1.path
        assert granted_unit_paths(user, Permission.MEMBER_VIEW) == []


def test_a_role_granted_within_the_request_is_seen_by_the_next_check(tree):
    user = tree.users["member_a1"]
    assert held_roles(user) == ((RoleKind.MEMBER, tree.cell_a1.path),)

    role_grant(actor=tree.users["admin_a"], user=user, unit=tree.cell_a2, role=RoleKind.VIEWER)

    assert held_roles(user) == tuple(
        sorted([(RoleKind.MEMBER, tree.cell_a1.path), (RoleKind.VIEWER, tree.cell_a2.path)])
    )
    assert granted_unit_paths(user, Permission.MEMBER_VIEW) == [tree.cell_a2.path]


def test_an_account_without_a_record_or_signed_out_has_no_own_member(tree, django_assert_num_queries):
    assert own_member(tree.users["no_role"]) is None
    assert own_member(AnonymousUser()) is None
    assert held_roles(AnonymousUser()) == ()
    user = tree.users["member_a1"]
    assert own_member(user) == tree.member_a1
    with django_assert_num_queries(0):
        own_member(user)
    forget_cached_scope(user)
    with django_assert_num_queries(1):
        assert own_member(user) == tree.member_a1
