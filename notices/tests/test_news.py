"""News items: published with a picture to a subtree, listed apart from notices, the latest on the home, read
counts like notices, never sent to the inboxes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.api import api_client
from notices.choices import NoticeKind
from notices.models import Notice, NoticeRead
from notices.selectors import notice_read_rates
from notices.services import MAX_PICTURE_BYTES, news_create, notice_withdraw, notices_publish_due
from notices.tests.factories import make_news, make_notice, picture_upload
from notifications.models import Notification


def signed_in(client, user):
    client.force_login(user)
    return client


def test_an_officer_publishes_news_with_a_picture_from_the_page(officer_a, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_a.post(
            reverse("notices:news_create"),
            {
                "unit": tree.commune_a.pk,
                "title": "Xã A khánh thành nhà văn hoá",
                "summary": "Nhà văn hoá thôn 1 đưa vào sử dụng.",
                "body": "Sáng nay, xã A khánh thành nhà văn hoá thôn 1.",
                "picture": picture_upload("nha-van-hoa.png"),
            },
        )

    news = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", args=[news.pk])
    assert (news.kind, news.picture_type, news.summary) == ("news", "image/png", "Nhà văn hoá thôn 1 đưa vào sử dụng.")
    assert news.published_at is not None and news.fanned_out_at is not None
    # News is for reading when one has the time: nothing goes to the inboxes or the phones.
    assert not Notification.objects.exists()


def test_members_of_the_subtree_see_the_news_and_its_picture_and_a_sibling_commune_sees_neither(client, tree):
    news = make_news(tree, title="Tin xã A")
    member = signed_in(client, tree.users["member_a1"])

    assert "Tin xã A" in member.get(reverse("notices:news")).text
    picture = member.get(reverse("notices:picture", args=[news.pk]))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")

    neighbour = make_user(role=RoleKind.MEMBER, unit=tree.cell_b1, username="member_b1", member=tree.member_b1)
    client.force_login(neighbour)
    assert "Tin xã A" not in client.get(reverse("notices:news")).text
    assert client.get(reverse("notices:picture", args=[news.pk])).status_code == 404
    assert client.get(reverse("notices:detail", args=[news.pk])).status_code == 404


def test_news_and_notices_are_listed_apart(client, tree):
    make_news(tree, title="Tin ra quân làm đường")
    make_notice(tree, title="Thông báo họp chi bộ")
    member = signed_in(client, tree.users["member_a1"])

    notices_page, news_page = member.get(reverse("notices:list")).text, member.get(reverse("notices:news")).text

    assert "Thông báo họp chi bộ" in notices_page and "Tin ra quân làm đường" not in notices_page
    assert "Tin ra quân làm đường" in news_page and "Thông báo họp chi bộ" not in news_page


def test_the_home_shows_the_three_latest_news_items_newest_first(client, tree, pinned_clock):
    for number in range(1, 5):
        make_news(tree, title=f"Tin số {number}", picture=number == 4)
        pinned_clock.shift(datetime.timedelta(minutes=5))
    member = signed_in(client, tree.users["member_a1"])

    home = member.get(reverse("handbook:home")).text

    assert "Tin số 1" not in home
    assert home.index("Tin số 4") < home.index("Tin số 3") < home.index("Tin số 2")
    assert home.count('class="news-picture"') == 1


def test_opening_a_news_item_counts_as_read_in_the_read_rate(client, tree):
    news = make_news(tree)
    signed_in(client, tree.users["member_a1"]).get(reverse("notices:detail", args=[news.pk]))

    assert NoticeRead.objects.filter(notice=news, user=tree.users["member_a1"]).exists()
    cell_a1 = next(rate for rate in notice_read_rates(news) if rate.unit == tree.cell_a1)
    assert (cell_a1.read, cell_a1.recipients) == (1, 2)  # the member, and the secretary of the cell
    # News is never sent to the inboxes: opening it writes no inbox entry either
    assert not Notification.objects.filter(dedupe_key=news.notification_key).exists()


def test_a_news_item_the_phone_keeps_ahead_for_offline_is_not_counted_as_read(client, tree):
    news = make_news(tree)
    member = signed_in(client, tree.users["member_a1"])

    kept = member.get(reverse("notices:detail", args=[news.pk]), headers={"X-Sotay-Keep": "1"})

    assert kept.status_code == 200 and news.title in kept.text
    assert not NoticeRead.objects.filter(notice=news).exists()
    member.get(reverse("notices:detail", args=[news.pk]))
    assert NoticeRead.objects.filter(notice=news, user=tree.users["member_a1"]).exists()


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_kept(officer_a, tree):
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 not a picture", content_type="image/png")

    response = officer_a.post(
        reverse("notices:news_create"),
        {"unit": tree.commune_a.pk, "title": "Tin", "body": "Nội dung", "picture": fake},
    )

    assert response.status_code == 200
    assert "Choose a picture (JPEG, PNG or WebP)." in response.context["form"].errors["picture"]
    assert not Notice.objects.exists()


def test_a_picture_over_2_mb_is_refused(tree):
    large = SimpleUploadedFile("lon.png", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_PICTURE_BYTES, content_type="image/png")

    with pytest.raises(ValidationError) as refused:
        news_create(actor=tree.users["officer_a"], unit=tree.commune_a, title="Tin", body="Nội dung", picture=large)

    assert "larger than 2 MB" in str(refused.value.message_dict["picture"])
    assert not Notice.objects.exists()


def test_a_member_may_not_publish_news(client, tree):
    member = signed_in(client, tree.users["member_a1"])

    assert member.get(reverse("notices:news_create")).status_code == 403
    assert member.get(reverse("notices:news")).status_code == 200
    assert 'href="/notices/news/new/"' not in member.get(reverse("notices:news")).text


def test_scheduled_news_comes_out_at_its_time_without_a_fan_out(client, tree, django_capture_on_commit_callbacks):
    news = make_news(tree, title="Tin hẹn giờ", in_minutes=60)
    member = signed_in(client, tree.users["member_a1"])
    assert "Tin hẹn giờ" not in member.get(reverse("notices:news")).text

    with django_capture_on_commit_callbacks(execute=True):
        assert notices_publish_due(now=timezone.now() + datetime.timedelta(minutes=61)) == 1

    news.refresh_from_db()
    assert news.published_at is not None and news.fanned_out_at == news.published_at
    assert not Notification.objects.exists()
    # Published and marked out at once: the publisher never starts it again as a stopped fan-out.
    assert notices_publish_due(now=timezone.now() + datetime.timedelta(hours=3)) == 0


def test_withdrawn_news_leaves_the_home(client, tree):
    news = make_news(tree, title="Tin đăng nhầm")
    notice_withdraw(actor=tree.users["officer_a"], notice=news, reason="Nhầm")

    home = signed_in(client, tree.users["member_a1"]).get(reverse("handbook:home")).text

    assert "Tin đăng nhầm" not in home


def test_the_api_lists_news_apart_and_publishes_a_news_item_with_a_picture(tree):
    make_notice(tree, title="Thông báo")
    make_news(tree, title="Tin có ảnh")
    member, officer = api_client(tree.users["member_a1"]), api_client(tree.users["officer_a"])

    news_items = member.get("/api/notices?kind=news").json()["items"]
    notices = member.get("/api/notices").json()["items"]
    assert [(item["title"], item["kind"]) for item in news_items] == [("Tin có ảnh", "news")]
    assert [item["title"] for item in notices] == ["Thông báo"]
    assert news_items[0]["picture_url"] == reverse("notices:picture", args=[news_items[0]["id"]])

    created = officer.post(
        "/api/notices/news",
        {"unit_code": "XA", "title": "Tin từ API", "body": "Nội dung", "picture": picture_upload()},
    )
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "news" and created.json()["picture_url"]

    refused = officer.post(
        "/api/notices/news",
        {"unit_code": "XA", "title": "Tin", "body": "Nội dung", "picture": SimpleUploadedFile("a.png", b"text")},
    )
    assert refused.status_code == 422
    # A member publishes for no unit: the unit is not found for them.
    assert member.post("/api/notices/news", {"unit_code": "XA", "title": "T", "body": "N"}).status_code == 404
    assert Notice.objects.filter(kind=NoticeKind.NEWS).count() == 2
