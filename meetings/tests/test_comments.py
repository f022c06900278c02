"""Comments on a meeting's agenda: who may write and read them, when they close, the secretary's answers, the
digest to the secretary, and the quote in the minutes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from meetings import selectors, services
from meetings.models import AgendaComment
from members.choices import MemberStatus
from members.tests.factories import make_member
from notifications.models import Notification

from .factories import make_meeting, started_meeting


def test_an_exempt_member_of_the_cell_comments_on_the_agenda(tree):
    # Given an exempt member of the cell (not expected at the meeting) with an account
    exempt = make_member(unit=tree.cell_a1, status=MemberStatus.EXEMPT, full_name="Phạm Văn Miễn")
    user = make_user(role=RoleKind.MEMBER, unit=tree.cell_a1, username="exempt_a1", member=exempt)
    meeting = make_meeting(unit=tree.cell_a1, agenda="1. Kết nạp đảng viên\n2. Thu đảng phí")

    comment = services.comment_add(user=user, meeting=meeting, text="Đề nghị bổ sung nội dung an ninh thôn.")

    assert comment.member == exempt
    assert list(selectors.comments_for(actor=tree.users["secretary_a1"], meeting=meeting)) == [comment]


def test_members_of_another_cell_and_viewers_neither_write_nor_read_comments(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Ý kiến")
    outsider = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, username="member_a2", member=tree.member_a2)

    for user in (outsider, tree.users["province_viewer"], tree.users["officer_b"]):
        with pytest.raises(PermissionDenied):
            services.comment_add(user=user, meeting=meeting, text="Không được")
        assert not selectors.comments_for(actor=user, meeting=meeting).exists()
    assert AgendaComment.objects.count() == 1


def test_comments_close_when_the_meeting_starts(tree, time_machine):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(hours=2))
    services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Trước giờ họp")

    time_machine.move_to(meeting.starts_at)

    with pytest.raises(ValidationError) as raised:
        services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Đã bắt đầu")
    assert "text" in raised.value.message_dict
    assert meeting.comments.count() == 1


def test_an_empty_comment_is_refused(tree):
    meeting = make_meeting(unit=tree.cell_a1)

    with pytest.raises(ValidationError):
        services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="   ")


def test_the_secretary_gets_one_digest_per_meeting_and_day_not_one_per_comment(
    tree, time_machine, django_capture_on_commit_callbacks
):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(days=5))
    secretary = tree.users["secretary_a1"]

    with django_capture_on_commit_callbacks(execute=True):
        for text in ("Một", "Hai", "Ba"):
            services.comment_add(user=tree.users["member_a1"], meeting=meeting, text=text)
    assert Notification.objects.filter(user=secretary, kind="meeting_comments").count() == 1

    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Bốn")
    digests = Notification.objects.filter(user=secretary, kind="meeting_comments")
    assert digests.count() == 2
    assert not Notification.objects.filter(user=tree.users["member_a1"], kind="meeting_comments").exists()
    assert digests.first().url == reverse("meetings:comments", args=[meeting.pk])


def test_the_secretary_answers_and_takes_a_comment_into_the_meeting(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    first = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Đề nghị bàn việc đường thôn")
    second = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Đề nghị họp sớm hơn")
    third = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Cảm ơn chi uỷ")
    secretary = tree.users["secretary_a1"]

    services.comment_answer(actor=secretary, comment=first, taken_into_meeting=True)
    services.comment_answer(actor=secretary, comment=second, answer="Giờ họp giữ nguyên.")

    groups = selectors.comment_groups(actor=secretary, meeting=meeting)
    assert (groups.waiting, groups.answered, groups.taken) == ([third], [second], [first])


def test_a_plain_member_cannot_answer_comments(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    comment = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Ý kiến")

    with pytest.raises(PermissionDenied):
        services.comment_answer(actor=tree.users["member_a1"], comment=comment, answer="Tự trả lời")


def test_the_minutes_page_quotes_the_comments_taken_into_the_meeting(tree, client, time_machine):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(hours=1))
    taken = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Bàn việc đường thôn")
    services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Không đưa vào")
    services.comment_answer(actor=tree.users["secretary_a1"], comment=taken, taken_into_meeting=True)
    time_machine.move_to(meeting.starts_at + datetime.timedelta(minutes=10))
    client.force_login(tree.users["secretary_a1"])

    response = client.get(reverse("meetings:minutes", args=[meeting.pk]) + "?quote=1")

    draft = response.context["form"].initial["minutes"]
    assert "Nguyễn Văn An: Bàn việc đường thôn" in draft
    assert "Không đưa vào" not in draft


def test_a_member_comments_on_the_page_and_the_secretary_sees_the_groups(tree, client):
    meeting = make_meeting(unit=tree.cell_a1)
    client.force_login(tree.users["member_a1"])

    response = client.post(reverse("meetings:comments", args=[meeting.pk]), {"text": "Ý kiến từ trang"})

    assert response.status_code == 302
    client.force_login(tree.users["secretary_a1"])
    page = client.get(reverse("meetings:comments", args=[meeting.pk]))
    assert "Ý kiến từ trang" in page.content.decode()
    assert [comment.text for comment in page.context["groups"].waiting] == ["Ý kiến từ trang"]


def test_the_comments_page_of_a_started_meeting_says_comments_are_closed(tree, client):
    meeting = started_meeting(unit=tree.cell_a1)
    client.force_login(tree.users["member_a1"])

    response = client.post(reverse("meetings:comments", args=[meeting.pk]), {"text": "Muộn"})

    assert response.status_code == 200
    assert "comments on the agenda are closed" in response.content.decode()
    assert not meeting.comments.exists()


def test_the_comments_page_reads_a_fixed_number_of_queries(tree, client, django_assert_max_num_queries):
    meeting = make_meeting(unit=tree.cell_a1)
    services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Một")
    client.force_login(tree.users["secretary_a1"])
    url = reverse("meetings:comments", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    for text in ("Hai", "Ba", "Bốn"):
        comment = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text=text)
    services.comment_answer(actor=tree.users["secretary_a1"], comment=comment, answer="Đã rõ")

    with django_assert_max_num_queries(few):
        response = client.get(url)

    assert "Đã rõ" in response.content.decode()


def test_a_comment_kept_offline_before_the_start_is_accepted_when_it_arrives_after(tree, time_machine):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(hours=1))
    written = meeting.starts_at - datetime.timedelta(minutes=10)
    time_machine.move_to(meeting.starts_at + datetime.timedelta(minutes=20))

    comment = services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Gửi muộn", written_at=written)

    assert comment.created_at == written
    with pytest.raises(ValidationError):
        services.comment_add(
            user=tree.users["member_a1"],
            meeting=meeting,
            text="Viết sau giờ họp",
            written_at=meeting.starts_at + datetime.timedelta(minutes=5),
        )


def test_a_comment_kept_offline_longer_than_the_grace_is_refused(tree, time_machine):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(days=5))
    written = timezone.now()
    time_machine.move_to(written + datetime.timedelta(days=3))

    with pytest.raises(ValidationError):
        services.comment_add(user=tree.users["member_a1"], meeting=meeting, text="Quá lâu", written_at=written)
    assert not meeting.comments.exists()


def test_the_comment_form_carries_the_phones_time_of_writing(tree, client, time_machine):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(hours=1))
    written = meeting.starts_at - datetime.timedelta(minutes=5)
    time_machine.move_to(meeting.starts_at + datetime.timedelta(minutes=3))
    client.force_login(tree.users["member_a1"])

    response = client.post(
        reverse("meetings:comments", args=[meeting.pk]),
        {"text": "Gửi từ hàng đợi", "written_at": written.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")},
    )

    assert response.status_code == 302
    assert meeting.comments.get().created_at == written
