"""Notice pages: issue, list, open (a read receipt), read rate, withdraw."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice, NoticeRead
from notices.tests.factories import make_notice
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_issues_a_notice_to_cell_secretaries_from_the_page(officer_a, tree):
    response = officer_a.post(
        reverse("notices:create"),
        {
            "unit": tree.commune_a.pk,
            "title": "Họp bí thư chi bộ",
            "body": "Thứ hai, 8 giờ.",
            "roles": ["cell_secretary"],
        },
    )

    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", args=[notice.pk])
    assert list(notice.audience.values_list("role", flat=True)) == ["cell_secretary"]


def test_the_form_offers_only_units_the_user_may_issue_for(client, tree):
    client.force_login(tree.users["secretary_a1"])

    response = client.get(reverse("notices:create"))

    assert list(response.context["form"].fields["unit"].queryset) == [tree.cell_a1]


def test_a_member_without_a_publishing_role_is_refused_the_form(client, tree):
    client.force_login(tree.users["member_a1"])

    assert client.get(reverse("notices:create")).status_code == 403


def test_a_scheduled_notice_says_when_it_goes_out(officer_a, tree):
    later = timezone.localtime() + timezone.timedelta(days=2)

    response = officer_a.post(
        reverse("notices:create"),
        {"unit": tree.commune_a.pk, "title": "Lịch trực Tết", "body": "x", "publish_at": f"{later:%Y-%m-%dT%H:%M}"},
        follow=True,
    )

    assert f"{later:%d/%m/%Y %H:%M}" in response.content.decode()
    assert Notice.objects.get().published_at is None


def test_a_member_sees_the_notice_as_new_and_opening_it_records_the_read(client, tree):
    notice = make_notice(tree)
    client.force_login(tree.users["member_a1"])

    listing = client.get(reverse("notices:list")).content.decode()
    page = client.get(reverse("notices:detail", args=[notice.pk]))

    assert notice.title in listing and "is-unread" in listing
    assert page.status_code == 200
    assert "Read rate" not in page.content.decode()
    assert NoticeRead.objects.filter(notice=notice, user=tree.users["member_a1"]).exists()


def test_the_issuer_sees_the_read_rate_per_child_unit(officer_a, tree):
    notice = make_notice(tree)

    html = officer_a.get(reverse("notices:detail", args=[notice.pk])).content.decode()

    assert "Read rate" in html
    for unit in (tree.commune_a, tree.cell_a1, tree.cell_a2, tree.grassroots_a):
        assert unit.name in html


def test_a_sibling_commune_gets_not_found(client, tree):
    notice = make_notice(tree)
    client.force_login(tree.users["officer_b"])

    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:withdraw", args=[notice.pk])).status_code == 404
    assert Notice.objects.get().withdrawn_at is None


def test_the_issuer_withdraws_a_notice_and_members_no_longer_find_it(client, tree):
    notice = make_notice(tree)
    client.force_login(tree.users["member_a1"])
    client.get(reverse("notifications:inbox"))  # the member saw it in their inbox

    client.force_login(tree.users["officer_a"])
    client.post(reverse("notices:withdraw", args=[notice.pk]))
    client.force_login(tree.users["member_a1"])

    assert Notice.objects.get().withdrawn_at is not None
    assert notice.pk not in [item.pk for item in client.get(reverse("notices:list")).context["page"]]
    # The inbox still links to it: the link says it was withdrawn, without the content.
    assert Notification.objects.filter(user=tree.users["member_a1"], url=f"/notices/{notice.pk}/").exists()
    response = client.get(reverse("notices:detail", args=[notice.pk]))
    assert response.status_code == 410
    assert "withdrew this notice" in response.content.decode()
    assert "Nội dung thông báo" not in response.content.decode()


def test_a_withdrawn_notice_that_never_reached_the_user_is_not_found(officer_a, client, tree):
    notice = make_notice(tree)
    officer_a.post(reverse("notices:withdraw", args=[notice.pk]))
    client.force_login(tree.users["officer_b"])

    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404


def test_the_list_is_paginated_and_does_not_query_per_row(client, tree):
    client.force_login(tree.users["member_a1"])
    make_notice(tree, title="Thông báo đầu tiên")
    # Publishing renews no recipient's own token, so the roles an earlier request kept serve both counts below; it
    # renews the unit's, so each list below is built, not served as kept (members/kept_pages.py), and the menu's
    # unread count, kept, is counted afresh in both.
    client.get(reverse("notices:list"))
    make_notice(tree, title="Thông báo thứ hai")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notices:list"))
    for index in range(23):
        make_notice(tree, title=f"Thông báo số {index}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notices:list"))

    assert len(many) == len(few)
    assert len(response.context["page"]) == 20
    assert response.context["page"].paginator.count == 25
