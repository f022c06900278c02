"""A plain member's notices, documents and own record kept whole between visits (members/kept_pages.py): served with
no query of their own while nothing they show has changed, built afresh as soon as a service changes it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.services import role_grant
from accounts.tests.factories import make_user
from common import freshness
from library.services import bookmark_toggle
from library.tests.factories import make_document
from members.kept_pages import KEY_PREFIX
from members.services import member_update
from members.tests.factories import make_member
from notices.services import notice_read_record
from notices.tests.factories import make_notice
from orgunits.services import unit_update

NOTICES = reverse("notices:list")
DOCUMENTS = reverse("library:list")
RECORD = reverse("handbook:my_record")


def page_and_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def kept_keys() -> list[str]:
    # The test cache is the local-memory one, whose stored keys (":1:member-page:...") can be listed.
    return [key.split(":", 2)[-1] for key in list(cache._cache) if f":{KEY_PREFIX}" in key]


@pytest.mark.parametrize("path", [NOTICES, DOCUMENTS, RECORD])
def test_the_second_visit_is_served_as_kept(phone, tree, path):
    make_notice(tree, title="Thông báo đã có")
    make_document(unit=tree.commune_a, title="Văn bản đã có")
    first, built_queries = page_and_queries(phone, path)
    again, kept_queries = page_and_queries(phone, path)

    assert again.content == first.content
    # The session and the user (authentication), nothing of the page's own.
    assert kept_queries <= 2 < built_queries
    assert len(kept_keys()) == 1


@pytest.mark.parametrize(
    "path, change, shown",
    [
        (NOTICES, lambda tree: make_notice(tree, title="Thông báo mới của xã"), "Thông báo mới của xã"),
        (
            NOTICES,
            lambda tree: make_notice(
                tree,
                unit=tree.central,
                actor=make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.central, username="central_admin"),
                title="Thông báo TW",
            ),
            "Thông báo TW",
        ),
        (DOCUMENTS, lambda tree: make_document(unit=tree.province, title="Chỉ thị của Tỉnh uỷ"), "Chỉ thị của Tỉnh uỷ"),
        (
            RECORD,
            lambda tree: member_update(
                actor=tree.users["officer_a"], member=tree.member_a1, data={"full_name": "Nguyễn Văn Ân"}
            ),
            "Nguyễn Văn Ân",
        ),
        (
            RECORD,
            lambda tree: unit_update(actor=tree.users["officer_a"], unit=tree.cell_a1, name="Chi bộ thôn Một"),
            "Chi bộ thôn Một",
        ),
    ],
    ids=[
        "notice of the commune",
        "notice of the centre",
        "document of the province",
        "record corrected",
        "cell renamed",
    ],
)
def test_a_change_by_a_service_shows_on_the_next_visit(phone, tree, path, change, shown):
    assert shown not in phone.get(path).text
    assert shown not in phone.get(path).text  # kept

    change(tree)

    assert shown in phone.get(path).text


def test_a_notice_read_is_no_longer_marked_new(phone, tree, member):
    notice = make_notice(tree, title="Thông báo cần đọc")
    assert phone.get(NOTICES).text.count("is-unread") == 1
    phone.get(NOTICES)  # kept

    notice_read_record(user=member, notice=notice)

    assert "is-unread" not in phone.get(NOTICES).text


def test_a_bookmark_shows_in_the_kept_list(phone, tree, member):
    document = make_document(unit=tree.commune_a, title="Văn bản đánh dấu")
    assert 'aria-label="Bookmarked"' not in phone.get(DOCUMENTS).text
    phone.get(DOCUMENTS)  # kept

    bookmark_toggle(user=member, document=document)

    assert 'aria-label="Bookmarked"' in phone.get(DOCUMENTS).text


def test_the_notices_list_is_kept_until_a_scheduled_notice_comes_out(phone, tree):
    notice = make_notice(tree, title="Thông báo hẹn giờ", in_minutes=5)
    assert "Thông báo hẹn giờ" not in phone.get(NOTICES).text

    (key,) = kept_keys()
    assert cache.get(key)["until"] == pytest.approx(notice.publish_at.timestamp())


@pytest.mark.parametrize("path", [f"{NOTICES}?page=1", f"{DOCUMENTS}?q=nghi"])
def test_a_page_asked_with_a_query_is_not_kept(phone, path):
    phone.get(path)

    assert kept_keys() == []


def test_a_page_asked_by_htmx_is_not_kept(phone):
    phone.get(DOCUMENTS, headers={"HX-Request": "true"})

    assert kept_keys() == []


@pytest.mark.parametrize("path", [NOTICES, DOCUMENTS, RECORD])
def test_officials_pages_are_never_kept(client, tree, path):
    client.force_login(tree.users["secretary_a1"])
    client.get(path)

    assert kept_keys() == []


def test_a_member_given_a_role_is_no_longer_served_the_kept_page(phone, tree, member):
    phone.get(NOTICES)
    role_grant(actor=tree.users["admin_a"], user=member, unit=tree.cell_a1, role=RoleKind.CELL_SECRETARY)

    _response, queries = page_and_queries(phone, NOTICES)

    assert queries > 2
    (key,) = kept_keys()  # no new page was kept, and the earlier one no longer matches
    assert not freshness.unchanged(cache.get(key)["tokens"])


def test_two_members_of_one_cell_never_get_each_others_page(tree, member):
    neighbour = make_user(
        role=RoleKind.MEMBER,
        unit=tree.cell_a1,
        username="member_a1_neighbour",
        member=make_member(unit=tree.cell_a1, full_name="Phạm Thị Duyên", sex="female"),
    )
    first, second = Client(), Client()
    first.force_login(member)
    second.force_login(neighbour)
    for _visit in range(2):  # built, then kept
        assert "Nguyễn Văn An" in first.get(RECORD).text

        page = second.get(RECORD).text
        assert "Phạm Thị Duyên" in page
        assert "Nguyễn Văn An" not in page
    assert len(kept_keys()) == 2


def test_the_kept_pages_forms_carry_a_valid_csrf_token(tree, member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    browser.get(RECORD)
    kept = browser.get(RECORD)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.text).group(1)

    response = browser.post(reverse("handbook:display"), {"is_large_text": "on", "csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_nothing_is_kept_when_keeping_is_turned_off(phone, settings):
    settings.HOME_CACHE_SECONDS = 0
    phone.get(NOTICES)

    _response, queries = page_and_queries(phone, NOTICES)

    assert queries > 2
    assert kept_keys() == []


def test_with_the_cache_down_the_page_is_built(phone, tree, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "get_many", refuse)
    monkeypatch.setattr(cache, "set_many", refuse)
    monkeypatch.setattr(cache, "set", refuse)

    make_notice(tree, title="Thông báo khi bộ nhớ đệm hỏng")

    assert "Thông báo khi bộ nhớ đệm hỏng" in phone.get(NOTICES).text
