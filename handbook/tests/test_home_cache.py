"""The member's home kept between visits (handbook/home_cache.py): served while nothing it shows has changed,
built afresh as soon as any service changes what it shows, whoever makes the change."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.services import role_grant
from accounts.tests.factories import make_user
from common import freshness
from handbook.home_cache import KEY_PREFIX
from handbook.services import display_preference_set
from library.services import document_read_record, document_withdraw
from library.tests.factories import make_document
from meetings.services import meeting_cancel
from meetings.tests.factories import make_meeting, started_meeting
from members.services import member_update
from notices.services import notice_read_record, notice_withdraw
from notices.tests.factories import make_notice
from notifications.services import Message, notifications_mark_read, notify_batch
from orgunits.services import unit_move, unit_update
from questions.services import question_close
from questions.tests.factories import make_answered_question, make_question

HOME = reverse("handbook:home")


def home_and_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return response, len(queries)


def kept_keys() -> list[str]:
    # The test cache is the local-memory one, whose stored keys (":1:home:...") can be listed.
    return [key.split(":", 2)[-1] for key in list(cache._cache) if f":{KEY_PREFIX}" in key]


def kept_entries() -> list[dict]:
    return [cache.get(key) for key in kept_keys()]


def test_the_second_visit_is_served_as_kept_without_building_the_page(phone):
    first, built_queries = home_and_queries(phone)
    again, kept_queries = home_and_queries(phone)

    assert again.content == first.content
    # The session and the user (authentication), nothing of the page's own.
    assert kept_queries <= 2 < built_queries


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda tree: make_meeting(unit=tree.cell_a1, topic="Sinh hoạt chuyên đề"), "Sinh hoạt chuyên đề"),
        (lambda tree: make_notice(tree, title="Thông báo mới của xã"), "Thông báo mới của xã"),
        (
            lambda tree: make_notice(
                tree,
                unit=tree.central,
                actor=make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.central, username="central_admin"),
                title="Thông báo Trung ương",
            ),
            "Thông báo Trung ương",
        ),
        (lambda tree: make_document(unit=tree.province, title="Chỉ thị của Thành uỷ"), "Chỉ thị của Thành uỷ"),
        (lambda tree: make_question(tree, text="Khi nào họp chi bộ?"), "Khi nào họp chi bộ?"),
        (
            lambda tree: member_update(
                actor=tree.users["officer_a"], member=tree.member_a1, data={"full_name": "Nguyễn Văn Ân"}
            ),
            "Nguyễn Văn Ân",
        ),
        (
            lambda tree: unit_update(actor=tree.users["officer_a"], unit=tree.cell_a1, name="Chi bộ thôn Một"),
            "Chi bộ thôn Một",
        ),
        (
            lambda tree: role_grant(
                actor=tree.users["admin_a"],
                user=make_user(username="pho_bi_thu", first_name="Hạnh", last_name="Lê"),
                unit=tree.cell_a1,
                role=RoleKind.CELL_SECRETARY,
            ),
            "Lê Hạnh",
        ),
        (
            lambda tree: notify_batch(
                user_ids=[tree.users["member_a1"].pk], message=Message(kind="test", title="Nhắc việc", body="")
            ),
            '<span class="home-badge">1</span>',
        ),
        (
            lambda tree: display_preference_set(
                actor=tree.users["member_a1"], is_large_text=True, is_high_contrast=False
            ),
            "handbook/large-text.css",
        ),
    ],
    ids=[
        "meeting in the cell",
        "notice of the commune",
        "notice of the centre",
        "document of the province",
        "own question",
        "own record corrected",
        "cell renamed",
        "secretary appointed",
        "notification",
        "display preference",
    ],
)
def test_a_change_by_a_service_shows_on_the_next_visit(phone, tree, change, shown):
    assert shown not in phone.get(HOME).text
    assert shown not in phone.get(HOME).text  # kept

    change(tree)

    assert shown in phone.get(HOME).text


def test_what_the_member_reads_or_settles_leaves_the_page(phone, tree, member):
    notice = make_notice(tree, title="Thông báo cần đọc")
    document = make_document(unit=tree.commune_a, title="Văn bản cần đọc")
    question = make_answered_question(tree, text="Câu hỏi đã có trả lời")
    page = phone.get(HOME).text
    assert all(text in page for text in ("Thông báo cần đọc", "Văn bản cần đọc", "Câu hỏi đã có trả lời"))

    notice_read_record(user=member, notice=notice)
    document_read_record(user=member, document=document)
    question_close(actor=member, question=question)

    page = phone.get(HOME).text
    assert not any(text in page for text in ("Thông báo cần đọc", "Văn bản cần đọc", "Câu hỏi đã có trả lời"))


def test_what_officials_take_back_leaves_the_page(phone, tree):
    notice = make_notice(tree, title="Thông báo sẽ rút")
    document = make_document(unit=tree.commune_a, title="Văn bản sẽ rút")
    meeting = make_meeting(unit=tree.cell_a1, topic="Buổi họp sẽ hoãn")
    page = phone.get(HOME).text
    assert all(text in page for text in ("Thông báo sẽ rút", "Văn bản sẽ rút", "Buổi họp sẽ hoãn"))

    officer = tree.users["officer_a"]
    notice_withdraw(actor=officer, notice=notice, reason="Nhầm nội dung")
    document_withdraw(actor=officer, document=document, reason="Ban hành nhầm")
    meeting_cancel(actor=officer, meeting=meeting, reason="Trùng lịch")

    page = phone.get(HOME).text
    assert not any(text in page for text in ("Thông báo sẽ rút", "Văn bản sẽ rút", "Buổi họp sẽ hoãn"))


def test_the_badge_goes_when_the_member_reads_the_inbox(phone, tree, member):
    notify_batch(user_ids=[member.pk], message=Message(kind="test", title="Nhắc việc", body=""))
    assert '<span class="home-badge">1</span>' in phone.get(HOME).text

    notifications_mark_read(user=member)

    assert "home-badge" not in phone.get(HOME).text


def test_a_cell_moved_to_another_commune_shows_that_communes_notices(phone, tree):
    make_notice(tree, unit=tree.commune_b, actor=tree.users["officer_b"], title="Thông báo của xã B")
    assert "Thông báo của xã B" not in phone.get(HOME).text
    province_admin = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="province_admin")

    unit_move(actor=province_admin, unit=tree.cell_a1, new_parent=tree.commune_b)

    assert "Thông báo của xã B" in phone.get(HOME).text


def test_the_page_is_kept_until_the_next_meeting_ends(phone, tree):
    meeting = started_meeting(unit=tree.cell_a1, minutes_ago=100)
    phone.get(HOME)

    (entry,) = kept_entries()
    assert entry["until"] == pytest.approx(meeting.ends_at.timestamp())


def test_the_page_is_kept_until_a_scheduled_notice_comes_out(phone, tree):
    notice = make_notice(tree, title="Thông báo hẹn giờ", in_minutes=5)
    assert "Thông báo hẹn giờ" not in phone.get(HOME).text

    (entry,) = kept_entries()
    assert entry["until"] == pytest.approx(notice.publish_at.timestamp())


def test_a_page_past_its_time_is_built_again(phone, tree):
    phone.get(HOME)
    (key,) = kept_keys()
    entry = cache.get(key)
    cache.set(key, entry | {"until": timezone.now().timestamp() - 1})

    home_and_queries(phone)

    # Assembled again (from its kept parts: handbook/tests/test_home_parts.py) and kept anew.
    assert cache.get(key)["until"] > timezone.now().timestamp()


def test_officials_pages_are_never_kept(client, tree):
    client.force_login(tree.users["secretary_a1"])
    client.get(HOME)

    assert kept_entries() == []


def test_a_member_given_a_role_is_no_longer_kept(phone, tree, member):
    phone.get(HOME)
    role_grant(actor=tree.users["admin_a"], user=member, unit=tree.cell_a1, role=RoleKind.CELL_SECRETARY)

    _response, queries = home_and_queries(phone)

    assert queries > 2
    (earlier,) = kept_entries()  # no new page was kept, and the earlier one no longer matches
    assert not freshness.unchanged(earlier["tokens"])


def test_a_role_starting_later_is_enough_not_to_keep_the_page(phone, tree, member):
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=member,
        unit=tree.commune_a,
        role=RoleKind.COMMITTEE_OFFICER,
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    phone.get(HOME)

    assert kept_entries() == []


def test_a_page_with_a_message_is_not_kept_and_the_message_shows_once(phone):
    phone.post(reverse("handbook:display"), {"is_large_text": "on"})

    assert "Display saved." in phone.get(HOME).text
    assert "Display saved." not in phone.get(HOME).text


def test_each_language_has_its_own_page(phone):
    assert "Unread notices" in phone.get(HOME).text

    phone.cookies["django_language"] = "vi"

    assert "Thông báo chưa đọc" in phone.get(HOME).text


def test_the_kept_pages_forms_carry_a_valid_csrf_token(tree, member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    browser.get(HOME)
    kept = browser.get(HOME)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.text).group(1)

    response = browser.post(reverse("handbook:display"), {"is_large_text": "on", "csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_another_browser_of_the_same_member_gets_its_own_page(tree, member):
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(member)
        browser.get(HOME)

    assert len(kept_entries()) == 2


def test_with_the_cache_down_the_page_is_built_and_writes_still_commit(phone, tree, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "get_many", refuse)
    monkeypatch.setattr(cache, "set_many", refuse)

    make_meeting(unit=tree.cell_a1, topic="Họp khi bộ nhớ đệm hỏng")

    assert "Họp khi bộ nhớ đệm hỏng" in phone.get(HOME).text


def test_nothing_is_kept_when_keeping_is_turned_off(phone, settings):
    settings.HOME_CACHE_SECONDS = 0
    phone.get(HOME)

    _response, queries = home_and_queries(phone)

    assert queries > 2
    assert kept_entries() == []


def test_a_change_renews_its_token_again_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    name = freshness.unit_token("0001")
    before = freshness.tokens([name])[name]

    with django_capture_on_commit_callbacks(execute=True):
        freshness.changed(name)
        at_once = freshness.tokens([name])[name]

    after_commit = freshness.tokens([name])[name]
    assert len({before, at_once, after_commit}) == 3
