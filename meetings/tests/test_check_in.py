"""QR check-in: token expiry, forgery, another meeting's token, replay, and the offline `scanned_at` rules."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from meetings.choices import CheckInMethod, Presence
from meetings.models import Attendance
from meetings.services import check_in
from meetings.tokens import SALT, TOKEN_LIFETIME, token_issue, token_read

from .factories import started_meeting

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def meeting(tree):
    return started_meeting(unit=tree.cell_a1)


def refused(**kwargs) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_in(**kwargs)
    return raised.value.message_dict


def test_a_fresh_token_checks_the_member_in(tree, meeting):
    attendance, is_new = check_in(user=tree.users["member_a1"], token=token_issue(meeting_id=meeting.pk))

    assert is_new
    assert attendance.presence == Presence.PRESENT
    assert attendance.method == CheckInMethod.QR
    assert attendance.member == tree.member_a1


def test_a_replay_is_harmless_and_says_already_checked_in(tree, meeting):
    token = token_issue(meeting_id=meeting.pk)
    first, _ = check_in(user=tree.users["member_a1"], token=token)

    again, is_new = check_in(user=tree.users["member_a1"], token=token)

    assert not is_new
    assert again.checked_in_at == first.checked_in_at
    assert Attendance.objects.filter(meeting=meeting, member=tree.member_a1).count() == 1


def test_an_expired_token_is_refused(tree, meeting):
    now = timezone.now()
    token = token_issue(meeting_id=meeting.pk, now=now - TOKEN_LIFETIME - MINUTE)

    errors = refused(user=tree.users["member_a1"], token=token, now=now)

    assert "expired" in errors["t"][0]
    assert not Attendance.objects.filter(presence=Presence.PRESENT).exists()


def test_a_forged_or_altered_token_is_refused(tree, meeting):
    forged = signing.dumps({"m": meeting.pk, "i": int(timezone.now().timestamp())}, salt="another-salt")
    altered = token_issue(meeting_id=meeting.pk)[:-2] + "xx"

    assert "not valid" in refused(user=tree.users["member_a1"], token=forged)["t"][0]
    assert "not valid" in refused(user=tree.users["member_a1"], token=altered)["t"][0]
    assert "not valid" in refused(user=tree.users["member_a1"], token="")["t"][0]
    assert token_read(signing.dumps({"m": meeting.pk}, salt=SALT)) is None


def test_a_token_of_another_meeting_is_refused(tree, meeting):
    other = started_meeting(unit=tree.cell_a1, topic="Chuyên đề")

    errors = refused(user=tree.users["member_a1"], token=token_issue(meeting_id=other.pk), meeting=meeting)

    assert "another meeting" in errors["t"][0]


def test_an_exempt_member_who_comes_checks_in_and_one_who_left_cannot(tree, meeting):
    from accounts.tests.factories import make_user
    from members.choices import MemberStatus
    from members.tests.factories import make_member

    exempt = make_member(unit=tree.cell_a1, status=MemberStatus.EXEMPT)
    left = make_member(
        unit=tree.cell_a1, status=MemberStatus.LEFT, left_on=datetime.date(2026, 6, 1), leaving_form="resigned"
    )
    token = token_issue(meeting_id=meeting.pk)

    attendance, is_new = check_in(user=make_user(username="exempt_a1", member=exempt), token=token)

    assert is_new and attendance.member == exempt and attendance.presence == Presence.PRESENT
    with pytest.raises(PermissionDenied):
        check_in(user=make_user(username="left_a1", member=left), token=token)


def test_a_member_of_another_cell_cannot_check_in(tree, meeting):
    from accounts.tests.factories import make_user

    neighbour = make_user(username="member_b1", member=tree.member_b1)

    with pytest.raises(PermissionDenied):
        check_in(user=neighbour, token=token_issue(meeting_id=meeting.pk))
    with pytest.raises(PermissionDenied):
        check_in(user=tree.users["officer_a"], token=token_issue(meeting_id=meeting.pk))


def test_an_offline_check_in_is_judged_at_the_scan_time(tree, meeting):
    # Scanned 2 minutes after the code was shown, posted an hour later when the phone was back online.
    issued = timezone.now() - datetime.timedelta(hours=1)
    token = token_issue(meeting_id=meeting.pk, now=issued)
    scanned = issued + 2 * MINUTE

    attendance, is_new = check_in(user=tree.users["member_a1"], token=token, scanned_at=scanned)

    assert is_new
    assert attendance.checked_in_at == scanned


def test_scanned_at_outside_the_tokens_life_or_in_the_future_is_refused(tree, meeting):
    now = timezone.now()
    issued = now - datetime.timedelta(hours=1)
    token = token_issue(meeting_id=meeting.pk, now=issued)
    user = tree.users["member_a1"]

    assert "expired" in refused(user=user, token=token, scanned_at=issued + TOKEN_LIFETIME + MINUTE, now=now)["t"][0]
    assert "before" in refused(user=user, token=token, scanned_at=issued - MINUTE, now=now)["scanned_at"][0]
    assert "future" in refused(user=user, token=token, scanned_at=now + MINUTE, now=now)["scanned_at"][0]
    assert not Attendance.objects.filter(presence=Presence.PRESENT).exists()


def test_a_queued_check_in_arriving_after_the_grace_period_is_refused(tree, meeting):
    now = timezone.now()
    issued = now - datetime.timedelta(hours=49)
    token = token_issue(meeting_id=meeting.pk, now=issued)

    errors = refused(user=tree.users["member_a1"], token=token, scanned_at=issued + MINUTE, now=now)

    assert "expired" in errors["t"][0]


def test_a_token_still_valid_now_is_accepted_whatever_the_phones_clock(tree, meeting):
    # The phone's clock is an hour behind: online, the server's own time decides.
    now = timezone.now()
    token = token_issue(meeting_id=meeting.pk, now=now - MINUTE)

    attendance, is_new = check_in(
        user=tree.users["member_a1"], token=token, scanned_at=now - datetime.timedelta(hours=1), now=now
    )

    assert is_new
    assert attendance.checked_in_at == now
