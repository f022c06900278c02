"""Who sees which document, search, the home page's new documents, read rates and the indicator."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.scoping import forget_cached_scope
from accounts.services import role_revoke
from accounts.tests.factories import make_user
from common.indicators import indicator_get
from library.selectors import (
    document_list,
    documents_new_for,
    documents_visible_to,
    read_rates,
)
from library.services import document_read_record, document_withdraw
from library.tests.factories import make_document
from members.choices import MemberStatus
from members.tests.factories import make_member
from orgunits.tests.factories import make_unit


def visible(user) -> set[int]:
    return set(documents_visible_to(user).values_list("pk", flat=True))


def test_members_and_officials_of_the_subtree_and_officials_above_see_a_commune_document(tree):
    document = make_document(unit=tree.commune_a)

    for name in ["member_a1", "secretary_a1", "officer_a", "province_viewer"]:
        assert document.pk in visible(tree.users[name]), name


def test_the_sibling_commune_and_users_without_a_place_do_not_see_it(tree):
    document = make_document(unit=tree.commune_a)
    member_b1 = make_user(username="member_b1", member=tree.member_b1)

    for user in [tree.users["officer_b"], tree.users["no_role"], member_b1]:
        assert document.pk not in visible(user)


def test_a_member_sees_documents_published_above_their_cell_but_not_to_a_neighbouring_cell(tree):
    central = make_document(unit=tree.central)
    own_cell = make_document(unit=tree.cell_a1)
    other_cell = make_document(unit=tree.cell_a2)

    seen = visible(tree.users["member_a1"])

    assert {central.pk, own_cell.pk} <= seen
    assert other_cell.pk not in seen


def test_a_member_without_a_role_sees_by_the_cell_they_attend(tree):
    member = make_member(unit=tree.cell_ag1)
    user = make_user(username="teacher", member=member)
    document = make_document(unit=tree.grassroots_a)

    assert document.pk in visible(user)
    assert document.pk not in visible(make_user(username="stranger", member=tree.member_b1))


def test_a_withdrawn_document_is_hidden_from_readers_but_not_from_its_publishers(tree):
    document = make_document(unit=tree.commune_a)
    document_withdraw(actor=tree.users["officer_a"], document=document, reason="Sai số hiệu")

    assert document.pk not in visible(tree.users["member_a1"])
    assert document.pk not in visible(tree.users["province_viewer"])
    assert document.pk in visible(tree.users["officer_a"])


def test_search_finds_words_typed_with_or_without_diacritics_in_any_order(tree):
    wanted = make_document(unit=tree.commune_a, title="Nghị quyết về chuyển đổi số", number="57-NQ/TW")
    make_document(unit=tree.commune_a, title="Chỉ thị về công tác cán bộ")
    user = tree.users["member_a1"]

    for text in ["chuyển đổi số", "chuyen doi so", "CHUYEN DOI", "so doi", "57-nq", "nq/tw chuyen"]:
        assert list(document_list(actor=user, search=text)) == [wanted], text
    assert not document_list(actor=user, search="chuyen doi xanh").exists()


def test_filters_by_type_year_and_issuing_body(tree):
    directive = make_document(
        unit=tree.commune_a, kind="directive", issued_on=datetime.date(2024, 3, 1), issuing_body="Tỉnh ủy"
    )
    make_document(unit=tree.commune_a, kind="resolution", issued_on=datetime.date(2025, 3, 1))
    user = tree.users["officer_a"]

    assert list(document_list(actor=user, kind="directive")) == [directive]
    assert list(document_list(actor=user, year=2024)) == [directive]
    assert list(document_list(actor=user, issuing_body="Tỉnh ủy")) == [directive]


def test_new_documents_for_the_home_page_are_the_newest_unread_ones(tree):
    older = make_document(unit=tree.commune_a)
    read = make_document(unit=tree.central)
    newest = make_document(unit=tree.cell_a1)
    make_document(unit=tree.commune_b)
    withdrawn = make_document(unit=tree.commune_a)
    document_withdraw(actor=None, document=withdrawn, reason="x")
    user = tree.users["member_a1"]
    document_read_record(user=user, document=read)

    assert documents_new_for(user=user) == [newest, older]
    assert documents_new_for(user=user, limit=1) == [newest]


def test_read_rates_count_current_members_who_read_against_hand_counted_members(tree):
    # Commune A holds: cell A1 {member_a1, extra_a1, left_a1 (left the party)}, cell A2 {member_a2},
    # grassroots A / teachers' cell {teacher}. Current members: A1 = 2, A2 = 1, G = 1, commune = 4.
    extra_a1 = make_member(unit=tree.cell_a1)
    left_a1 = make_member(
        unit=tree.cell_a1, status=MemberStatus.LEFT, left_on=datetime.date(2024, 1, 1), leaving_form="resigned"
    )
    teacher = make_member(unit=tree.cell_ag1)
    document = make_document(unit=tree.commune_a)
    for member in [tree.member_a1, extra_a1, left_a1, teacher]:
        user = tree.users["member_a1"] if member == tree.member_a1 else make_user(member=member)
        document_read_record(user=user, document=document)
    document_read_record(user=make_user(username="member_b1", member=tree.member_b1), document=document)

    with CaptureQueriesContext(connection) as queries:
        total, children = read_rates(document=document)

    assert (total.unit, total.readers, total.members, total.percent) == (tree.commune_a, 3, 4, 75.0)
    by_code = {rate.unit.code: (rate.readers, rate.members, rate.percent) for rate in children}
    assert by_code == {"XA-C1": (2, 2, 100.0), "XA-C2": (0, 1, 0.0), "XA-G": (1, 1, 100.0)}
    assert len(queries) <= 5


def test_the_read_rate_query_count_does_not_grow_with_children(tree):
    document = make_document(unit=tree.commune_a)
    with CaptureQueriesContext(connection) as few:
        read_rates(document=document)
    for _number in range(5):
        make_member(unit=make_unit(parent=tree.commune_a))
    document.refresh_from_db()
    assert document.unit.code == "XA"  # loaded before counting, as it was above

    with CaptureQueriesContext(connection) as many:
        read_rates(document=document)

    assert len(many) == len(few)


def test_the_indicator_counts_documents_published_in_the_subtree_up_to_the_date(tree):
    make_document(unit=tree.commune_a)
    make_document(unit=tree.cell_a1)
    make_document(unit=tree.commune_b)
    withdrawn = make_document(unit=tree.cell_a2)
    document_withdraw(actor=None, document=withdrawn, reason="x")
    indicator = indicator_get("documents_published")
    today = timezone.localdate() + datetime.timedelta(days=1)

    assert indicator.compute(tree.commune_a, today) == 2
    assert indicator.compute(tree.province, today) == 3
    assert indicator.compute(tree.commune_a, datetime.date(2000, 1, 1)) == 0
    assert indicator.compute(tree.area_a, today) is None


def test_a_role_ending_today_no_longer_shows_documents(tree):
    user = make_user(role=RoleKind.VIEWER, unit=tree.commune_a, username="former")
    document = make_document(unit=tree.commune_a)
    assert document.pk in visible(user)

    role_revoke(actor=tree.users["admin_a"], assignment=user.roles.get())  # it ends today
    forget_cached_scope(user)

    assert document.pk not in visible(user)
