"""The plain member's home assembled from kept parts (handbook/home_parts.py): the same lists as the selectors
give, and a notice to the whole country rebuilding one shared part, not one page per member."""

import datetime
import random

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.models import User
from accounts.tests.factories import make_user
from handbook import home_parts
from handbook.home_parts import PART_PREFIX, home_from_parts
from handbook.selectors import home_for
from library.services import document_read_record
from library.tests.factories import make_document
from meetings.tests.factories import make_meeting
from members.tests.factories import make_member
from notices.services import notice_read_record, notice_withdraw
from notices.tests.factories import make_news, make_notice
from notifications.models import Notification
from notifications.services import inbox_catch_up
from orgunits.choices import UnitKind
from orgunits.tests.factories import make_unit
from questions.tests.factories import make_question
from study.services import study_step_done
from study.tests.factories import QUESTIONS, assign

HOME = reverse("handbook:home")


def projection(home) -> dict:
    """What the page shows of each list, comparable between the selectors' Home and the assembled one."""
    return {
        "member": home.member.pk if home.member else None,
        "secretaries": [user.pk for user in home.secretaries],
        "next_meeting": home.next_meeting.pk if home.next_meeting else None,
        "badge": home.unread_notifications,
        "unread_notices": [(n.pk, n.title, n.unit.name, n.publish_at) for n in home.unread_notices],
        "latest_news": [
            (n.pk, n.title, n.summary, bool(n.picture), n.unit.name, n.publish_at, n.is_read) for n in home.latest_news
        ],
        "study_to_do": [(a.pk, a.title, a.ends_on) for a in home.study_to_do],
        "new_documents": [(d.pk, d.title, d.number, d.issued_on) for d in home.new_documents],
        "open_questions": [(q.pk, q.unit.name) for q in home.open_questions],
    }


def assembled(username: str) -> dict:
    result = home_from_parts(User.objects.get(username=username))
    assert result is not None
    return projection(result[0])


def from_database(username: str) -> dict:
    return projection(home_for(user=User.objects.get(username=username)))


def issuers(tree) -> dict:
    return {
        tree.central: make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.central, username="central_admin"),
        tree.province: make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="province_admin"),
        tree.commune_a: tree.users["officer_a"],
    }


def varied_home(tree, rng: random.Random) -> None:
    """Notices, news, documents and study from every level above member_a1 (and beside it), some read, some for
    some roles only, some withdrawn or scheduled; inbox rows; questions; a meeting."""
    member = tree.users["member_a1"]
    by = issuers(tree)
    notices = []
    for number in range(rng.randint(3, 12)):
        unit = rng.choice(list(by))
        roles = rng.choice([(), (), (RoleKind.MEMBER,), (RoleKind.CELL_SECRETARY,)])
        notices.append(
            make_notice(
                tree,
                unit=unit,
                actor=by[unit],
                title=f"Thông báo {number}",
                roles=roles,
                in_minutes=rng.choice([None, None, None, 30]),
            )
        )
    for number in range(rng.randint(0, 5)):
        unit = rng.choice(list(by))
        make_news(tree, unit=unit, actor=by[unit], title=f"Tin {number}", picture=rng.random() < 0.5)
    make_notice(tree, unit=tree.commune_b, actor=tree.users["officer_b"], title="Thông báo xã B")
    for notice in notices:
        draw = rng.random()
        if draw < 0.3:
            notice_read_record(user=member, notice=notice)
        elif draw < 0.4:
            notice_withdraw(actor=by[notice.unit], notice=notice)
    documents = [make_document(unit=rng.choice(list(by)), title=f"Văn bản {n}") for n in range(rng.randint(0, 9))]
    for document in documents:
        if rng.random() < 0.4:
            document_read_record(user=member, document=document)
    for number in range(rng.randint(0, 3)):
        assignment = assign(tree, title=f"Chuyên đề {number}", questions=() if rng.random() < 0.5 else QUESTIONS)
        if rng.random() < 0.5:
            study_step_done(actor=member, assignment=assignment, step="text")
    for number in range(rng.randint(0, 3)):
        Notification.objects.create(user=member, kind="test", title=f"Nhắc việc {number}")
    for number in range(rng.randint(0, 2)):
        make_question(tree, text=f"Câu hỏi {number}")
    if rng.random() < 0.5:
        make_meeting(unit=tree.cell_a1)


@pytest.mark.parametrize("depth", [20, 2])
@pytest.mark.parametrize("seed", range(4))
def test_the_assembled_home_lists_what_the_selectors_list(tree, monkeypatch, seed, depth):
    # Given a varied home (and, with a depth of 2, parts too shallow for some lists: those are read from the
    # database)
    monkeypatch.setattr(home_parts, "HOME_PART_DEPTH", depth)
    varied_home(tree, random.Random(seed))

    # Then the parts, cold and then kept, give what the selectors give
    assert assembled("member_a1") == from_database("member_a1")
    assert assembled("member_a1") == from_database("member_a1")


def test_the_assembled_home_counts_inbox_rows_as_the_badge_does(tree):
    member = tree.users["member_a1"]
    read = make_notice(tree, title="Đã đọc")
    in_inbox = make_notice(tree, title="Đã vào hộp thư")
    withdrawn = make_notice(tree, title="Sẽ rút")
    for notice in (in_inbox, withdrawn):
        Notification.objects.create(
            user=member,
            kind="notice",
            title=notice.title,
            dedupe_key=notice.notification_key,
            created_at=notice.publish_at,
        )
    notice_read_record(user=member, notice=read)
    notice_withdraw(actor=tree.users["officer_a"], notice=withdrawn)

    assert assembled("member_a1")["badge"] == from_database("member_a1")["badge"] == 1


def test_a_notice_opened_in_the_inbox_still_counts_on_the_home_after_the_catch_up_window(tree, time_machine):
    # The inbox page writes the member's row of the notice (notifications.services.inbox_catch_up): the row keeps
    # counting once the notice leaves the window, so the member's kept part, which held no row, is built again.
    member = tree.users["member_a1"]
    time_machine.shift(datetime.timedelta(hours=1))
    make_notice(tree, title="Vào hộp thư")
    time_machine.shift(datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS, minutes=-2))
    assert assembled("member_a1")["badge"] == 1

    inbox_catch_up(user=User.objects.get(pk=member.pk))
    time_machine.shift(datetime.timedelta(minutes=3))  # well within what a part is kept (HOME_CACHE_SECONDS)

    assert assembled("member_a1")["badge"] == from_database("member_a1")["badge"] == 1


@pytest.fixture
def second_province(tree):
    """A member in another province: their chain shares only the central unit with member_a1's."""
    province = make_unit(parent=tree.central, kind=UnitKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Bắc Ninh", code="BN")
    commune = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã C", code="BN-XC")
    cell = make_unit(parent=commune, name="Chi bộ thôn Nam", code="BN-XC-C1")
    member = make_member(unit=cell, full_name="Phạm Thị Dung", sex="female")
    return make_user(role=RoleKind.MEMBER, unit=cell, username="member_bn", member=member)


def visit(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return response.text, [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("kept_whole", [True, False])
def test_a_national_notice_rebuilds_the_central_part_once_for_every_province(
    client, tree, second_province, settings, kept_whole
):
    settings.HOME_PAGE_KEPT_WHOLE = kept_whole
    first = tree.users["member_a1"]
    for user in (first, second_province):
        visit(client, user)
    personal = cache.get(f"{PART_PREFIX}user:{second_province.pk}")

    make_notice(tree, unit=tree.central, actor=issuers(tree)[tree.central], title="Thông báo toàn quốc")

    # The first member's visit rebuilds the central unit's notices part, and nothing else of the page
    page, queries = visit(client, first)
    assert "Thông báo toàn quốc" in page
    assert len(queries) == 2 + 3, queries  # session, user; the central notices part: unit, notices, scheduled
    # The second's, in another province, finds it rebuilt: nothing but the session and the user
    page, queries = visit(client, second_province)
    assert "Thông báo toàn quốc" in page
    assert len(queries) == 2, queries
    # and their own part was not rebuilt
    assert cache.get(f"{PART_PREFIX}user:{second_province.pk}") == personal


@pytest.fixture
def parts_only(settings):
    """Every visit assembled from the kept parts, none served as a page kept whole."""
    settings.HOME_PAGE_KEPT_WHOLE = False


def test_a_notice_read_leaves_the_next_visit(client, tree, parts_only):
    member = tree.users["member_a1"]
    notice = make_notice(tree, title="Thông báo cần đọc")
    assert "Thông báo cần đọc" in visit(client, member)[0]

    notice_read_record(user=member, notice=notice)

    assert "Thông báo cần đọc" not in visit(client, member)[0]


def test_a_withdrawn_notice_leaves_the_next_visit(client, tree, parts_only):
    central_admin = issuers(tree)[tree.central]
    notice = make_notice(tree, unit=tree.central, actor=central_admin, title="Thông báo sẽ rút")
    assert "Thông báo sẽ rút" in visit(client, tree.users["member_a1"])[0]

    notice_withdraw(actor=central_admin, notice=notice)

    assert "Thông báo sẽ rút" not in visit(client, tree.users["member_a1"])[0]


def test_a_scheduled_notice_shows_when_its_time_comes(client, tree, parts_only, time_machine):
    notice = make_notice(tree, unit=tree.province, actor=issuers(tree)[tree.province], title="Hẹn giờ", in_minutes=5)
    assert "Hẹn giờ" not in visit(client, tree.users["member_a1"])[0]

    time_machine.move_to(notice.publish_at + datetime.timedelta(seconds=1))

    assert "Hẹn giờ" in visit(client, tree.users["member_a1"])[0]


def test_a_document_and_study_published_above_show(client, tree, parts_only):
    member = tree.users["member_a1"]
    visit(client, member)
    province_admin = issuers(tree)[tree.province]

    make_document(unit=tree.central, title="Chỉ thị của Trung ương")
    assign(tree, unit=tree.province, actor=province_admin, title="Chuyên đề của tỉnh")

    page, _queries = visit(client, member)
    assert "Chỉ thị của Trung ương" in page
    assert "Chuyên đề của tỉnh" in page


def test_a_national_document_keeps_the_notices_parts(client, tree, parts_only):
    member = tree.users["member_a1"]
    visit(client, member)

    make_document(unit=tree.central, title="Văn bản toàn quốc")

    page, queries = visit(client, member)
    assert "Văn bản toàn quốc" in page
    assert not any("notices_notice" in query for query in queries)


def test_nothing_is_kept_when_keeping_is_off(client, tree, settings):
    settings.HOME_CACHE_SECONDS = 0
    visit(client, tree.users["member_a1"])

    assert not [key for key in cache._cache if PART_PREFIX in key]


def test_officials_get_no_parts(tree):
    assert home_from_parts(tree.users["secretary_a1"]) is None
    assert home_from_parts(tree.users["officer_a"]) is None


def test_a_part_past_its_time_is_built_again(client, tree, parts_only):
    member = tree.users["member_a1"]
    visit(client, member)
    Notification.objects.create(user=member, kind="test", title="Ghi thẳng vào cơ sở dữ liệu")
    assert "home-badge" not in visit(client, member)[0]  # kept: nothing renewed the user's token

    key = f"{PART_PREFIX}user:{member.pk}"
    cache.set(key, cache.get(key) | {"until": timezone.now().timestamp() - 1})

    assert '<span class="home-badge">1</span>' in visit(client, member)[0]
