"""Scheduling, invitations, replies and excuses, marking attendance, materials and minutes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from meetings import selectors, services
from meetings.choices import ExcuseDecision, Presence, Reply
from meetings.models import Attendance, Material
from members.choices import MemberStatus
from members.tests.factories import make_member
from notifications.models import Notification

from .factories import make_meeting, started_meeting

PDF = b"%PDF-1.4\n%test\n"


def test_the_secretary_schedules_a_meeting_of_their_cell(tree):
    starts = timezone.now() + datetime.timedelta(days=5)

    meeting = services.meeting_create(
        actor=tree.users["secretary_a1"], unit=tree.cell_a1, topic="Chuyên đề", place="Hội trường", starts_at=starts
    )

    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(hours=2)
    assert meeting.created_by == tree.users["secretary_a1"]


def test_the_sibling_commune_and_a_plain_member_cannot_schedule(tree):
    starts = timezone.now() + datetime.timedelta(days=5)
    for user in (tree.users["officer_b"], tree.users["member_a1"], tree.users["province_viewer"]):
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=user, unit=tree.cell_a1, topic="X", place="Y", starts_at=starts)


def test_a_commune_committee_does_not_hold_cell_meetings(tree):
    with pytest.raises(ValidationError) as raised:
        make_meeting(unit=tree.commune_a)
    assert "unit" in raised.value.message_dict


def test_exempt_and_departed_members_are_not_expected(tree):
    exempt = make_member(unit=tree.cell_a1, status=MemberStatus.EXEMPT)
    make_member(unit=tree.cell_a1, status=MemberStatus.TEMPORARILY_EXEMPT)
    make_member(unit=tree.cell_a1, status=MemberStatus.DECEASED, died_on=datetime.date(2020, 1, 1))
    active = make_member(unit=tree.cell_a1)
    meeting = make_meeting(unit=tree.cell_a1)

    expected = set(selectors.expected_members(meeting=meeting))

    assert expected == {tree.member_a1, active}
    assert exempt not in expected


def test_invitations_reach_expected_members_once(tree, django_capture_on_commit_callbacks):
    meeting = make_meeting(unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=secretary, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=secretary, meeting=meeting)

    inbox = Notification.objects.filter(user=tree.users["member_a1"])
    assert inbox.count() == 1
    assert inbox.get().url == f"/meetings/{meeting.pk}/"
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {tree.member_a1.pk}
    assert not Notification.objects.filter(user=secretary).exists()


def test_a_member_confirms_or_asks_to_be_excused_with_a_reason(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    member = tree.users["member_a1"]

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.meeting_reply(user=member, meeting=meeting, reply=Reply.EXCUSE_REQUESTED, reason=" ")
    excused = services.meeting_reply(user=member, meeting=meeting, reply=Reply.EXCUSE_REQUESTED, reason="Đi công tác")

    assert "reason" in raised.value.message_dict
    assert excused.excuse == ExcuseDecision.PENDING
    confirmed = services.meeting_reply(user=member, meeting=meeting, reply=Reply.CONFIRMED)
    assert (confirmed.reply, confirmed.excuse, confirmed.excuse_reason) == (Reply.CONFIRMED, "", "")


def test_only_expected_members_reply(tree):
    from accounts.tests.factories import make_user

    meeting = make_meeting(unit=tree.cell_a1)
    with pytest.raises(PermissionDenied):
        services.meeting_reply(user=tree.users["officer_a"], meeting=meeting, reply=Reply.CONFIRMED)
    neighbour = make_user(username="member_b1", member=tree.member_b1)
    with pytest.raises(PermissionDenied):
        services.meeting_reply(user=neighbour, meeting=meeting, reply=Reply.CONFIRMED)
    assert not Attendance.objects.exists()


def test_the_secretary_accepts_an_excuse(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    row = services.meeting_reply(
        user=tree.users["member_a1"], meeting=meeting, reply=Reply.EXCUSE_REQUESTED, reason="Ốm"
    )

    with pytest.raises(PermissionDenied):
        services.excuse_decide(actor=tree.users["officer_b"], attendance=row, accept=True)
    decided = services.excuse_decide(actor=tree.users["secretary_a1"], attendance=row, accept=True)

    assert decided.excuse == ExcuseDecision.ACCEPTED
    assert decided.is_excused


def test_attendance_is_marked_by_hand_only_once_the_meeting_has_started(tree):
    future = make_meeting(unit=tree.cell_a1)
    running = started_meeting(unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]

    with pytest.raises(ValidationError):
        services.attendance_mark(actor=secretary, meeting=future, member=tree.member_a1, presence=Presence.PRESENT)
    marked = services.attendance_mark(
        actor=secretary, meeting=running, member=tree.member_a1, presence=Presence.EXCUSED
    )

    assert marked.presence == Presence.EXCUSED
    assert marked.excuse == ExcuseDecision.ACCEPTED
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=secretary, meeting=running, member=tree.member_a2, presence=Presence.PRESENT)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(
            actor=tree.users["officer_b"], meeting=running, member=tree.member_a1, presence=Presence.ABSENT
        )


def test_materials_must_be_pdf_by_content_and_small_enough(tree, monkeypatch):
    meeting = make_meeting(unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]

    document = services.material_add(
        actor=secretary, meeting=meeting, title="Nghị quyết", upload=SimpleUploadedFile("nq.pdf", PDF)
    )
    with translation.override("en"), pytest.raises(ValidationError) as not_pdf:
        services.material_add(
            actor=secretary, meeting=meeting, title="x", upload=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00")
        )
    monkeypatch.setattr(services, "FILE_MAX_BYTES", 10)
    with pytest.raises(ValidationError):
        services.material_add(actor=secretary, meeting=meeting, title="big", upload=SimpleUploadedFile("b.pdf", PDF))

    assert document.file.read() == PDF
    assert "PDF" in not_pdf.value.message_dict["file"][0]
    assert Material.objects.count() == 1


def test_minutes_only_once_the_meeting_has_started_and_they_freeze_the_list(tree):
    future = make_meeting(unit=tree.cell_a1)
    running = started_meeting(unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]

    with pytest.raises(ValidationError):
        services.minutes_record(actor=secretary, meeting=future, minutes="Biên bản")
    recorded = services.minutes_record(
        actor=secretary,
        meeting=running,
        minutes="Biên bản họp",
        resolution="Nghị quyết",
        upload=SimpleUploadedFile("bb.pdf", PDF),
    )
    newcomer = make_member(
        unit=tree.cell_a1, date_of_birth=datetime.date(1970, 3, 1), joined_on=datetime.date(2000, 1, 1)
    )
    services.attendance_sync(meeting=recorded)

    assert recorded.minutes_recorded_at is not None
    assert recorded.minutes_file.read() == PDF
    assert not recorded.attendances.filter(member=newcomer).exists()
    assert recorded.attendances.filter(member=tree.member_a1).exists()


def test_next_meeting_is_the_cells_next_one_not_over(tree):
    make_meeting(unit=tree.cell_a1, starts_at=timezone.now() - datetime.timedelta(days=3), topic="Đã họp")
    running = started_meeting(unit=tree.cell_a1, topic="Đang họp")
    make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(days=3), topic="Sắp họp")
    make_meeting(unit=tree.cell_a2, starts_at=timezone.now() + datetime.timedelta(hours=1), topic="Chi bộ khác")

    assert selectors.next_meeting_for(user=tree.users["member_a1"]) == running
    assert selectors.next_meeting_for(user=tree.users["officer_a"]) is None


def test_visibility_follows_the_cell_and_the_scope(tree):
    mine = make_meeting(unit=tree.cell_a1)
    neighbour_cell = make_meeting(unit=tree.cell_a2)
    other_commune = make_meeting(unit=tree.cell_b1)

    assert set(selectors.meetings_visible_to(tree.users["member_a1"])) == {mine}
    assert set(selectors.meetings_visible_to(tree.users["officer_a"])) == {mine, neighbour_cell}
    assert set(selectors.meetings_visible_to(tree.users["province_viewer"])) == {mine, neighbour_cell, other_commune}
    assert set(selectors.meetings_visible_to(tree.users["officer_b"])) == {other_commune}
    assert not selectors.meetings_visible_to(tree.users["no_role"]).exists()


def test_a_meeting_years_ahead_or_of_a_day_and_a_half_is_a_typing_mistake(tree):
    secretary = tree.users["secretary_a1"]
    far = timezone.now() + datetime.timedelta(days=4 * 365)

    with pytest.raises(ValidationError) as too_far:
        services.meeting_create(actor=secretary, unit=tree.cell_a1, topic="X", place="Y", starts_at=far)
    with pytest.raises(ValidationError) as too_long:
        make_meeting(unit=tree.cell_a1, duration_minutes=36 * 60)

    assert "starts_at" in too_far.value.message_dict and "duration_minutes" in too_long.value.message_dict
