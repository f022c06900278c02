"""The meeting pages: list, detail and reply, the QR screen, checking in by the link, attendance, files, figures."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import make_user
from common.tests.api import api_client
from meetings import services
from meetings.choices import Presence, Reply
from meetings.models import Attendance, Meeting
from meetings.tokens import TOKEN_LIFETIME, token_issue
from members.tests.factories import make_member

from .factories import make_meeting, started_meeting

PDF = b"%PDF-1.4\n%view\n"


@pytest.fixture
def as_user(client, tree):
    def sign_in(name):
        client.force_login(tree.users[name])
        return client

    return sign_in


def test_a_member_sees_their_cells_meetings_and_not_the_neighbours(tree, as_user):
    make_meeting(unit=tree.cell_a1, topic="Họp thôn 1")
    make_meeting(unit=tree.cell_a2, topic="Họp thôn 2")

    page = as_user("member_a1").get(reverse("meetings:list")).content.decode()

    assert "Họp thôn 1" in page
    assert "Họp thôn 2" not in page
    assert reverse("meetings:list") in page  # the nav link


def test_a_meeting_outside_scope_does_not_exist(tree, as_user):
    meeting = make_meeting(unit=tree.cell_a1)

    assert as_user("officer_b").get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert as_user("officer_a").get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200


def test_the_member_replies_from_the_meeting_page(tree, as_user):
    meeting = make_meeting(unit=tree.cell_a1)
    client = as_user("member_a1")

    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    response = client.post(
        reverse("meetings:reply"), {"meeting": meeting.pk, "reply": Reply.EXCUSE_REQUESTED, "reason": "Đi viện"}
    )

    assert "reply-form" in detail
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=tree.member_a1)
    assert (row.reply, row.excuse_reason) == (Reply.EXCUSE_REQUESTED, "Đi viện")


def test_the_secretary_schedules_from_the_form(tree, as_user):
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = as_user("secretary_a1").post(
        reverse("meetings:create"),
        {
            "unit": "XA-C1",
            "kind": "thematic",
            "topic": "Học tập nghị quyết",
            "day": day.isoformat(),
            "time": "19:30",
            "duration_minutes": "90",
            "place": "Nhà văn hoá",
        },
    )

    meeting = Meeting.objects.get(topic="Học tập nghị quyết")
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == f"{day:%d/%m/%Y} 19:30"


def test_the_qr_page_shows_an_inline_svg_linking_to_check_in(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)

    page = as_user("secretary_a1").get(reverse("meetings:qr", args=[meeting.pk])).content.decode()
    fragment = as_user("secretary_a1").get(reverse("meetings:qr_code", args=[meeting.pk])).content.decode()

    assert "<svg" in page
    assert "/meetings/check-in/?t=" in page
    assert 'hx-trigger="every 60s"' in fragment
    assert as_user("member_a1").get(reverse("meetings:qr", args=[meeting.pk])).status_code == 403


def test_checking_in_by_the_link_then_again(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)
    token = token_issue(meeting_id=meeting.pk)
    client = as_user("member_a1")

    opened = client.get(reverse("meetings:check_in"), {"t": token}).content.decode()
    first = client.post(
        reverse("meetings:check_in"), {"t": token, "scanned_at": timezone.now().isoformat()}, follow=True
    )
    again = client.post(reverse("meetings:check_in"), {"t": token, "scanned_at": ""}, follow=True)

    assert 'name="scanned_at"' in opened and 'name="t"' in opened
    assert "You are checked in" in first.content.decode()
    assert "already checked in" in again.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=tree.member_a1).presence == Presence.PRESENT


def test_an_expired_link_says_so_and_changes_nothing(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)
    token = token_issue(meeting_id=meeting.pk, now=timezone.now() - TOKEN_LIFETIME - datetime.timedelta(minutes=1))

    response = as_user("member_a1").post(reverse("meetings:check_in"), {"t": token, "scanned_at": ""})

    assert response.status_code == 200
    assert "expired" in response.content.decode()
    assert not Attendance.objects.filter(presence=Presence.PRESENT).exists()


def test_signed_out_scanners_are_sent_to_sign_in_and_back(client, tree):
    response = client.get(reverse("meetings:check_in"), {"t": "abc"})

    assert response.status_code == 302
    assert "next=/meetings/check-in/" in response["Location"]


def test_the_secretary_marks_attendance_and_sees_it(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)
    client = as_user("secretary_a1")

    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"member": tree.member_a1.pk, "presence": "absent"})
    page = client.get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()

    assert "Nguyễn Văn An" in page
    assert "Absent" in page
    assert Attendance.objects.get(meeting=meeting, member=tree.member_a1).presence == Presence.ABSENT


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_mark_by_htmx_answers_with_the_sheet_alone_and_its_undo(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)
    client = as_user("secretary_a1")
    url = reverse("meetings:attendance", args=[meeting.pk])

    response = client.post(url, {"member": tree.member_a1.pk, "presence": "absent"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="attendance-sheet"') or 'id="attendance-sheet"' in page[:400]
    assert "<html" not in page  # only the sheet: the phone keeps its place on the page
    assert 'name="undo"' in page
    assert Attendance.objects.get(meeting=meeting, member=tree.member_a1).presence == Presence.ABSENT

    client.post(url, {"undo": "1", "undo_member": [tree.member_a1.pk], "undo_presence": [""]}, **HTMX)

    row = Attendance.objects.get(meeting=meeting, member=tree.member_a1)
    assert (row.presence, row.checked_in_at) == (Presence.UNKNOWN, None)


def test_all_present_marks_only_those_not_yet_marked_and_can_be_undone(tree, as_user):
    make_member(unit=tree.cell_a1, full_name="Lê Văn Cường")
    make_member(unit=tree.cell_a1, full_name="Phạm Thị Dung")
    meeting = started_meeting(unit=tree.cell_a1)
    client = as_user("secretary_a1")
    url = reverse("meetings:attendance", args=[meeting.pk])
    client.post(url, {"member": tree.member_a1.pk, "presence": "excused"}, **HTMX)

    page = client.post(url, {"all_present": "1"}, **HTMX).content.decode()

    rows = {row.member_id: row.presence for row in Attendance.objects.filter(meeting=meeting)}
    assert rows[tree.member_a1.pk] == Presence.EXCUSED
    marked = [pk for pk, presence in rows.items() if presence == Presence.PRESENT]
    assert len(marked) == 2 and 'name="undo"' in page
    assert f"{len(marked)} " in page

    client.post(url, {"undo": "1", "undo_member": marked, "undo_presence": [""] * len(marked)}, **HTMX)

    rows = {row.member_id: row.presence for row in Attendance.objects.filter(meeting=meeting)}
    assert rows[tree.member_a1.pk] == Presence.EXCUSED
    assert all(rows[pk] == Presence.UNKNOWN for pk in marked)


def test_without_javascript_all_present_reloads_the_page(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)

    response = as_user("secretary_a1").post(reverse("meetings:attendance", args=[meeting.pk]), {"all_present": "1"})

    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, presence=Presence.PRESENT).exists()


def test_an_undo_cannot_reach_a_member_of_another_meeting(tree, as_user):
    meeting = started_meeting(unit=tree.cell_a1)
    other = started_meeting(unit=tree.cell_a2)
    services.attendance_mark(
        actor=tree.users["officer_a"], meeting=other, member=tree.member_a2, presence=Presence.PRESENT
    )

    as_user("secretary_a1").post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"undo": "1", "undo_member": [tree.member_a2.pk], "undo_presence": [""]},
        **HTMX,
    )

    assert Attendance.objects.get(meeting=other, member=tree.member_a2).presence == Presence.PRESENT


def test_materials_are_streamed_only_within_scope(tree, as_user):
    meeting = make_meeting(unit=tree.cell_a1)
    document = services.material_add(
        actor=tree.users["secretary_a1"], meeting=meeting, title="NQ", upload=SimpleUploadedFile("nq.pdf", PDF)
    )
    url = reverse("meetings:material", args=[document.pk])

    mine = as_user("member_a1").get(url)
    body = b"".join(mine.streaming_content)

    assert mine["Content-Type"] == "application/pdf"
    assert body == PDF
    assert as_user("officer_b").get(url).status_code == 404
    assert not url.startswith("/static")


def test_uploading_a_non_pdf_shows_an_error(tree, as_user):
    meeting = make_meeting(unit=tree.cell_a1)

    response = as_user("secretary_a1").post(
        reverse("meetings:material_add", args=[meeting.pk]),
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"<html>")},
        follow=True,
    )

    assert "Only PDF files" in response.content.decode()
    assert not meeting.materials.exists()


def test_the_figures_page_lists_flagged_members(tree, as_user):
    from .factories import at

    for month in (1, 2, 3):
        meeting = make_meeting(unit=tree.cell_a1, starts_at=at(2025, month, 4))
        services.attendance_mark(actor=None, meeting=meeting, member=tree.member_a1, presence=Presence.ABSENT)

    page = as_user("secretary_a1").get(reverse("meetings:figures", args=["XA-C1"]), {"year": 2025}).content.decode()
    commune = as_user("officer_a").get(reverse("meetings:figures", args=["XA"]), {"year": 2025}).content.decode()

    assert "3 of 12 required" in page
    assert "Nguyễn Văn An" in page.split("flagged-members")[1].split("</ul>")[0]
    assert "Chi bộ thôn 1" in commune
    assert as_user("officer_b").get(reverse("meetings:figures", args=["XA-C1"])).status_code == 404


# ------------------------------------------------------------------ API


def test_api_lists_and_reads_meetings_in_scope(tree):
    meeting = make_meeting(unit=tree.cell_a1, topic="Họp thôn 1")
    make_meeting(unit=tree.cell_b1, topic="Họp thôn Đông")
    client = api_client(tree.users["member_a1"])

    listed = client.get("/api/meetings?upcoming=true").json()
    detail = client.get(f"/api/meetings/{meeting.pk}").json()
    upcoming = client.get("/api/meetings/next").json()

    assert [item["topic"] for item in listed["items"]] == ["Họp thôn 1"]
    assert detail["my_attendance"] is None
    assert detail["url"] == f"/meetings/{meeting.pk}/"
    assert upcoming["id"] == meeting.pk
    assert api_client(tree.users["officer_b"]).get(f"/api/meetings/{meeting.pk}").status_code == 404


def test_api_reply_and_check_in(tree):
    meeting = started_meeting(unit=tree.cell_a1)
    client = api_client(tree.users["member_a1"])
    token = token_issue(meeting_id=meeting.pk)

    replied = client.post(
        "/api/meetings/reply",
        json.dumps({"meeting_id": meeting.pk, "reply": "confirmed"}),
        content_type="application/json",
    )
    first = client.post("/api/meetings/check-in", json.dumps({"t": token}), content_type="application/json")
    again = client.post(
        "/api/meetings/check-in", json.dumps({"t": token, "meeting_id": meeting.pk}), content_type="application/json"
    )
    forged = client.post("/api/meetings/check-in", json.dumps({"t": token + "x"}), content_type="application/json")

    assert replied.json()["reply"] == "confirmed"
    assert first.json()["already_checked_in"] is False
    assert again.json()["already_checked_in"] is True
    assert forged.status_code == 422
    assert "t" in forged.json()["errors"]


def test_api_attendance_list_is_for_managers(tree):
    meeting = started_meeting(unit=tree.cell_a1)
    services.attendance_mark(actor=None, meeting=meeting, member=tree.member_a1, presence=Presence.PRESENT)

    rows = api_client(tree.users["secretary_a1"]).get(f"/api/meetings/{meeting.pk}/attendance").json()

    assert rows[0]["full_name"] == "Nguyễn Văn An"
    assert rows[0]["presence"] == "present"
    assert api_client(tree.users["member_a1"]).get(f"/api/meetings/{meeting.pk}/attendance").status_code == 403
    assert api_client(make_user(username="x")).get(f"/api/meetings/{meeting.pk}/attendance").status_code == 404


def test_the_list_page_reads_a_fixed_number_of_queries(tree, as_user, django_assert_max_num_queries):
    client = as_user("officer_a")
    make_meeting(unit=tree.cell_a1)
    client.get(reverse("meetings:list"))
    for offset in range(6):
        make_meeting(unit=tree.cell_a2, starts_at=timezone.now() + datetime.timedelta(days=offset + 1))
        make_meeting(unit=tree.cell_a1, starts_at=timezone.now() - datetime.timedelta(days=offset + 1))

    with django_assert_max_num_queries(20) as captured:
        response = client.get(reverse("meetings:list"))

    assert response.status_code == 200
    few = len(captured.captured_queries)
    make_meeting(unit=tree.cell_a2, starts_at=timezone.now() + datetime.timedelta(days=9))
    with django_assert_max_num_queries(few):
        client.get(reverse("meetings:list"))
