"""The meetings pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from common.tests.matrix import LIST, READ, WRITE, api, page

TOPIC = "Họp chi bộ thôn 1 tháng này"
PDF = b"%PDF-1.4\n%matrix\n"


def with_meeting(tree) -> dict:
    from meetings.services import meeting_create, meeting_reply, minutes_record

    meeting = meeting_create(
        actor=None,
        unit=tree.cell_a1,
        topic=TOPIC,
        place="Nhà văn hoá thôn 1",
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    attendance = meeting_reply(user=tree.users["member_a1"], meeting=meeting, reply="excuse_requested", reason="Ốm")
    return {"meeting": meeting, "attendance": attendance, "record_minutes": minutes_record}


def with_future_meeting(tree) -> dict:
    from meetings.services import meeting_create

    meeting = meeting_create(
        actor=None,
        unit=tree.cell_a1,
        topic=TOPIC,
        place="Nhà văn hoá thôn 1",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    return {"meeting": meeting}


def with_material(tree) -> dict:
    from meetings.services import material_add

    ctx = with_meeting(tree)
    ctx["material"] = material_add(
        actor=tree.users["secretary_a1"],
        meeting=ctx["meeting"],
        title="Tài liệu",
        upload=SimpleUploadedFile("t.pdf", PDF),
    )
    return ctx


def with_minutes(tree) -> dict:
    ctx = with_meeting(tree)
    ctx["record_minutes"](
        actor=None, meeting=ctx["meeting"], minutes="Biên bản", upload=SimpleUploadedFile("bb.pdf", PDF)
    )
    return ctx


def with_comment(tree) -> dict:
    from meetings.services import comment_add

    ctx = with_future_meeting(tree)
    ctx["comment"] = comment_add(user=tree.users["member_a1"], meeting=ctx["meeting"], text="Ý kiến về chương trình")
    return ctx


def with_quorum(tree) -> dict:
    from meetings.services import attendance_mark_many

    ctx = with_meeting(tree)
    attendance_mark_many(actor=None, meeting=ctx["meeting"], presences={tree.member_a1.pk: "present"})
    return ctx


def with_vote(tree) -> dict:
    from meetings.services import vote_open

    ctx = with_quorum(tree)
    ctx["vote"] = vote_open(actor=tree.users["secretary_a1"], meeting=ctx["meeting"], matter="Kế hoạch năm")
    return ctx


def meeting_form(ctx) -> dict:
    return {
        "unit": "XA-C1",
        "kind": "thematic",
        "topic": "Chuyên đề học tập",
        "day": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "time": "08:00",
        "duration_minutes": "120",
        "place": "Hội trường xã",
    }


MANAGER = {"ancestor_role": RoleKind.COMMITTEE_OFFICER}

ENDPOINTS = [
    page(
        "meetings:list",
        LIST,
        "get",
        lambda c: reverse("meetings:list"),
        prepare=with_meeting,
        hidden_text=TOPIC,
    ),
    page(
        "meetings:create",
        WRITE,
        "post",
        lambda c: reverse("meetings:create"),
        meeting_form,
        hidden_text="Chi bộ thôn 1",
    ),
    page(
        "meetings:series_create",
        WRITE,
        "post",
        lambda c: reverse("meetings:series_create"),
        lambda c: {
            "unit": "XA-C1",
            "title": "Sinh hoạt thường kỳ",
            "rule": "day_of_month",
            "day": "4",
            "time": "19:30",
            "duration_minutes": "120",
            "place": "Nhà văn hoá",
            "starts_on": timezone.localdate().isoformat(),
        },
        hidden_text="Chi bộ thôn 1",
    ),
    page(
        "meetings:detail", READ, "get", lambda c: reverse("meetings:detail", args=[c.meeting.pk]), prepare=with_meeting
    ),
    page(
        "meetings:update",
        WRITE,
        "post",
        lambda c: reverse("meetings:update", args=[c.meeting.pk]),
        meeting_form,
        prepare=with_meeting,
    ),
    page(
        "meetings:invite",
        WRITE,
        "post",
        lambda c: reverse("meetings:invite", args=[c.meeting.pk]),
        prepare=with_meeting,
    ),
    page(
        "meetings:cancel",
        WRITE,
        "post",
        lambda c: reverse("meetings:cancel", args=[c.meeting.pk]),
        lambda c: {"reason": "Trùng lịch họp của xã"},
        prepare=with_future_meeting,
    ),
    page(
        "meetings:material_add",
        WRITE,
        "post",
        lambda c: reverse("meetings:material_add", args=[c.meeting.pk]),
        lambda c: {"title": "Nghị quyết", "file": SimpleUploadedFile("nq.pdf", PDF)},
        prepare=with_meeting,
    ),
    page(
        "meetings:material",
        READ,
        "get",
        lambda c: reverse("meetings:material", args=[c.material.pk]),
        prepare=with_material,
    ),
    page(
        "meetings:minutes",
        WRITE,
        "post",
        lambda c: reverse("meetings:minutes", args=[c.meeting.pk]),
        lambda c: {"minutes": "Biên bản họp", "resolution": "Nghị quyết"},
        prepare=with_meeting,
    ),
    page(
        "meetings:minutes_file",
        READ,
        "get",
        lambda c: reverse("meetings:minutes_file", args=[c.meeting.pk]),
        prepare=with_minutes,
    ),
    page(
        "meetings:attendance",
        READ,
        "get",
        lambda c: reverse("meetings:attendance", args=[c.meeting.pk]),
        prepare=with_meeting,
        **MANAGER,
    ),
    page(
        "meetings:attendance",
        WRITE,
        "post",
        lambda c: reverse("meetings:attendance", args=[c.meeting.pk]),
        lambda c: {"member": c.member_a1.pk, "presence": "present"},
        prepare=with_meeting,
    ),
    page(
        "meetings:excuse",
        WRITE,
        "post",
        lambda c: reverse("meetings:excuse", args=[c.attendance.pk]),
        lambda c: {"accept": "1"},
        prepare=with_meeting,
    ),
    page(
        "meetings:qr",
        READ,
        "get",
        lambda c: reverse("meetings:qr", args=[c.meeting.pk]),
        prepare=with_meeting,
        **MANAGER,
    ),
    page(
        "meetings:qr_code",
        READ,
        "get",
        lambda c: reverse("meetings:qr_code", args=[c.meeting.pk]),
        prepare=with_meeting,
        **MANAGER,
    ),
    page(
        "meetings:comments",
        READ,
        "get",
        lambda c: reverse("meetings:comments", args=[c.meeting.pk]),
        prepare=with_comment,
        **MANAGER,
    ),
    page(
        "meetings:comments",
        WRITE,
        "post",
        lambda c: reverse("meetings:comments", args=[c.meeting.pk]),
        lambda c: {"text": "Đề nghị bổ sung nội dung"},
        prepare=with_future_meeting,
    ),
    page(
        "meetings:comment_answer",
        WRITE,
        "post",
        lambda c: reverse("meetings:comment_answer", args=[c.comment.pk]),
        lambda c: {"answer": "Chi uỷ tiếp thu", "taken": "1"},
        prepare=with_comment,
    ),
    page(
        "meetings:votes",
        READ,
        "get",
        lambda c: reverse("meetings:votes", args=[c.meeting.pk]),
        prepare=with_vote,
        **MANAGER,
    ),
    page(
        "meetings:votes",
        WRITE,
        "post",
        lambda c: reverse("meetings:votes", args=[c.meeting.pk]),
        lambda c: {"matter": "Kết nạp đảng viên", "method": "show_of_hands", "passing_rule": "majority_of_roll"},
        prepare=with_quorum,
    ),
    page(
        "meetings:vote_close",
        WRITE,
        "post",
        lambda c: reverse("meetings:vote_close", args=[c.vote.pk]),
        lambda c: {"count_for": "1", "count_against": "0", "count_abstain": "0"},
        prepare=with_vote,
    ),
    page("meetings:figures", READ, "get", lambda c: reverse("meetings:figures", args=["XA-C1"]), prepare=with_meeting),
    api("get", "/meetings", LIST, lambda c: "/api/meetings", prepare=with_meeting, hidden_text=TOPIC),
    api("get", "/meetings/{meeting_id}", READ, lambda c: f"/api/meetings/{c.meeting.pk}", prepare=with_meeting),
    api(
        "post",
        "/meetings",
        WRITE,
        lambda c: "/api/meetings",
        lambda c: {
            "unit_code": "XA-C1",
            "topic": "Chuyên đề học tập",
            "place": "Hội trường xã",
            "starts_at": (timezone.now() + datetime.timedelta(days=7)).isoformat(),
        },
    ),
    api(
        "post",
        "/meetings/{meeting_id}/invite",
        WRITE,
        lambda c: f"/api/meetings/{c.meeting.pk}/invite",
        prepare=with_future_meeting,
    ),
    api(
        "post",
        "/meetings/{meeting_id}/cancel",
        WRITE,
        lambda c: f"/api/meetings/{c.meeting.pk}/cancel",
        lambda c: {"reason": "Trùng lịch họp của xã"},
        prepare=with_future_meeting,
    ),
    api(
        "get",
        "/meetings/{meeting_id}/attendance",
        READ,
        lambda c: f"/api/meetings/{c.meeting.pk}/attendance",
        prepare=with_meeting,
        **MANAGER,
    ),
    api(
        "get",
        "/meetings/{meeting_id}/comments",
        READ,
        lambda c: f"/api/meetings/{c.meeting.pk}/comments",
        prepare=with_comment,
        **MANAGER,
    ),
    api(
        "post",
        "/meetings/{meeting_id}/comments",
        WRITE,
        lambda c: f"/api/meetings/{c.meeting.pk}/comments",
        lambda c: {"text": "Đề nghị bổ sung nội dung"},
        prepare=with_future_meeting,
    ),
    api(
        "post",
        "/meetings/comments/{comment_id}/answer",
        WRITE,
        lambda c: f"/api/meetings/comments/{c.comment.pk}/answer",
        lambda c: {"answer": "Chi uỷ tiếp thu", "taken_into_meeting": True},
        prepare=with_comment,
    ),
    api(
        "get",
        "/meetings/{meeting_id}/votes",
        READ,
        lambda c: f"/api/meetings/{c.meeting.pk}/votes",
        prepare=with_vote,
        **MANAGER,
    ),
    api(
        "post",
        "/meetings/{meeting_id}/votes",
        WRITE,
        lambda c: f"/api/meetings/{c.meeting.pk}/votes",
        lambda c: {"matter": "Kết nạp đảng viên"},
        prepare=with_quorum,
    ),
    api(
        "post",
        "/meetings/votes/{vote_id}/close",
        WRITE,
        lambda c: f"/api/meetings/votes/{c.vote.pk}/close",
        lambda c: {"count_for": 1, "count_against": 0, "count_abstain": 0},
        prepare=with_vote,
    ),
]

# The member's own answer and check-in (the meeting is named in the body or the token), and their next meeting.
SIGNED_IN_ONLY = [
    "meetings:reply",
    "meetings:check_in",
    "meetings:ballot",
    "post /api/meetings/reply",
    "post /api/meetings/check-in",
    "post /api/meetings/ballot",
    "get /api/meetings/next",
]
