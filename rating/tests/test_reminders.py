"""Members are reminded of their self-review once in the days before it is due; each cell's secretaries get one digest
once it is due; nothing goes out twice, whatever the number of runs."""

import datetime
import io

import pytest
from django.core.management import call_command

from common.tests.clock import TODAY
from notifications.models import Notification
from rating import services
from rating.choices import Grade
from rating.models import MemberRating

from .factories import REVIEW, issue

pytestmark = pytest.mark.django_db
DUE = TODAY + datetime.timedelta(days=10)  # factories.issue: self-reviews due in ten days


def run(day, capture):
    with capture(execute=True):
        return services.rating_send_reminders(day=day)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_members_who_have_not_filed_are_reminded_once_in_the_last_days(tree, django_capture_on_commit_callbacks):
    issue(tree)
    member = tree.users["member_a1"]
    assert run(DUE - datetime.timedelta(days=4), django_capture_on_commit_callbacks) == (0, 0)

    assert run(DUE - datetime.timedelta(days=3), django_capture_on_commit_callbacks) == (1, 0)
    run(DUE, django_capture_on_commit_callbacks)

    assert kinds(member) == ["rating.self_review"]
    assert kinds(tree.users["secretary_a1"]) == []


def test_a_member_who_filed_is_not_reminded(tree, django_capture_on_commit_callbacks):
    campaign = issue(tree)
    rating = MemberRating.objects.get(campaign=campaign, member=tree.member_a1)
    services.self_review_file(actor=tree.users["member_a1"], rating=rating, points=80, self_grade=Grade.GOOD, **REVIEW)

    run(DUE, django_capture_on_commit_callbacks)

    assert kinds(tree.users["member_a1"]) == []


def test_once_due_each_cells_secretaries_get_one_digest(tree, django_capture_on_commit_callbacks):
    campaign = issue(tree)
    after = DUE + datetime.timedelta(days=1)

    assert run(after, django_capture_on_commit_callbacks) == (0, 2)  # cells A1 and A2 have members waiting
    run(after + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    digest = Notification.objects.get(user=tree.users["secretary_a1"])
    assert digest.kind == "rating.cell_digest" and digest.url == f"/rating/campaigns/{campaign.pk}/?unit=XA-C1"
    assert "1" in digest.body
    # Cell A2 has no secretary: its digest goes to the nearest unit above with one (the commune's officers).
    assert kinds(tree.users["officer_a"]) == ["rating.cell_digest"]
    assert kinds(tree.users["officer_b"]) == []


def test_the_daily_command_says_what_it_sent(tree):
    issue(tree)
    out = io.StringIO()
    call_command("send_rating_reminders", day=DUE + datetime.timedelta(days=1), stdout=out)
    assert out.getvalue().strip() == "0 campaigns reminded, 2 cell digests"
