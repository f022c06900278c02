"""The edges of study: withdrawn documents, double taps, marks out of the period, odd input, what is shown when."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tests import clock
from common.tests.api import api_client
from library.services import document_withdraw
from library.tests.factories import make_document
from meetings.tests.factories import make_meeting
from study.choices import TEXT_STEP
from study.models import QuizAttempt
from study.selectors import own_assignments_to_do
from study.services import marks_record, quiz_submit, study_open, study_step_done

from .factories import LAST_DAY, assign, right_answers


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=clock.NOW.tzinfo)


def test_a_document_withdrawn_after_the_member_read_the_rest_leaves_the_assignment_studied(tree):
    kept, withdrawn = make_document(unit=tree.commune_a), make_document(unit=tree.commune_a)
    assignment = assign(tree, documents=[kept, withdrawn])
    member = tree.users["member_a1"]
    study_step_done(actor=member, assignment=assignment, step=TEXT_STEP)
    study_step_done(actor=member, assignment=assignment, step=f"doc-{kept.pk}")

    document_withdraw(actor=tree.users["officer_a"], document=withdrawn, reason="Văn bản bị thay thế")
    progress = study_open(actor=member, assignment=assignment)

    assert progress.studied_at is not None


def test_the_same_answers_sent_twice_are_scored_once(client, tree):
    assignment = assign(tree)
    client.force_login(tree.users["member_a1"])
    url = reverse("study:quiz", args=[assignment.pk])
    form = {f"q{key}": value for key, value in right_answers(assignment, wrong=4).items()} | {"attempt": 1}

    first = client.post(url, form)
    second = client.post(url, form)

    assert first["Location"] == second["Location"] == f"{url}?attempt=1"
    assert QuizAttempt.objects.count() == 1
    body = {"assignment_id": assignment.pk, "answers": right_answers(assignment), "attempt_number": 1}
    again = api_client(tree.users["member_a1"]).post(
        "/api/study/attempts", data=json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 422 and QuizAttempt.objects.count() == 1


def test_no_marks_before_the_period_and_after_it_only_for_a_meeting_held_in_it(tree, pinned_clock):
    later = assign(tree, title="Đợt sau", starts_on=LAST_DAY, ends_on=LAST_DAY + datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        marks_record(actor=tree.users["secretary_a1"], assignment=later, member_ids=[tree.member_a1.pk])

    assignment = assign(tree)
    meeting = make_meeting(unit=tree.cell_a1, starts_at=clock.NOW - datetime.timedelta(hours=2))
    pinned_clock.move_to(_at(LAST_DAY + datetime.timedelta(days=3)))
    with pytest.raises(ValidationError):
        marks_record(actor=tree.users["secretary_a1"], assignment=assignment, member_ids=[tree.member_a1.pk])
    marked = marks_record(
        actor=tree.users["secretary_a1"], assignment=assignment, member_ids=[tree.member_a1.pk], meeting=meeting
    )
    assert marked == 1


def test_odd_keys_and_parts_are_refused_without_an_error_page(client, tree):
    assignment = assign(tree)
    client.force_login(tree.users["secretary_a1"])
    huge = client.post(reverse("study:mark", args=[assignment.pk]), {"member": "1" + "0" * 25})
    client.force_login(tree.users["member_a1"])
    odd = client.post(reverse("study:step_done"), {"assignment": assignment.pk, "step": "a\r\nSet-Cookie: x=1"})

    assert huge.status_code == 404
    assert odd.status_code == 302 and odd["Location"] == reverse("study:assignment", args=[assignment.pk])


def test_explanations_wait_with_the_right_answers(client, tree):
    from study.services import question_add

    assignment = assign(tree, questions=(), max_attempts=2)
    question_add(
        actor=tree.users["officer_a"],
        assignment=assignment,
        text="Tầm nhìn đến năm nào?",
        choices=[("2045", True), ("2050", False)],
        is_multiple=False,
        explanation="Tầm nhìn đến năm 2045.",
    )
    client.force_login(tree.users["member_a1"])
    url = reverse("study:quiz", args=[assignment.pk])
    client.post(url, {f"q{k}": v for k, v in right_answers(assignment, wrong=1).items()})

    assert "Tầm nhìn đến năm 2045." not in client.get(f"{url}?attempt=1").text
    client.post(url, {f"q{k}": v for k, v in right_answers(assignment, wrong=1).items()})
    assert "Tầm nhìn đến năm 2045." in client.get(f"{url}?attempt=2").text  # no attempt left


def test_a_member_with_every_attempt_used_has_nothing_left_to_do_on_the_home(tree):
    assignment = assign(tree)
    member = tree.users["member_a1"]
    for _attempt in range(assignment.max_attempts):
        quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment, wrong=4))

    assert own_assignments_to_do(user=member, limit=3) == []


def _csv(rows) -> SimpleUploadedFile:
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows)
    return SimpleUploadedFile("cau-hoi.csv", text.encode())


def test_a_bank_row_is_refused_for_a_long_explanation_or_two_right_letters_said_to_be_one(client, tree):
    assignment = assign(tree, questions=())
    client.force_login(tree.users["officer_a"])
    upload = _csv(
        [
            ["Câu hỏi", "A", "B", "C", "Đáp án", "Giải thích", "Nhiều lựa chọn"],
            ["Câu một?", "Một", "Hai", "", "A", "x" * 10_001, ""],
            ["Câu hai?", "Một", "Hai", "Ba", "A, C", "", "không"],
        ]
    )

    response = client.post(reverse("study:questions_import", args=[assignment.pk]), {"file": upload})

    assert response.status_code == 200
    rows = dict(response.context["problems"])
    assert "explanation is longer" in " ".join(rows[2]) and "Only one answer may be right" in " ".join(rows[3])
    assert assignment.questions.count() == 0


def test_meetings_are_offered_on_a_cells_list_only(client, tree):
    assignment = assign(tree)
    make_meeting(unit=tree.cell_a1, starts_at=clock.NOW - datetime.timedelta(hours=2), topic="Học nghị quyết")
    client.force_login(tree.users["officer_a"])
    members = reverse("study:members", args=[assignment.pk])

    assert client.get(members + "?unit=XA").context["meetings"] == []
    assert [m.topic for m in client.get(members + "?unit=XA-C1").context["meetings"]] == ["Học nghị quyết"]


def test_the_way_back_up_leads_to_the_highest_unit_the_officer_reads(client, tree):
    from accounts.choices import RoleKind
    from accounts.tests.factories import make_user

    province_officer = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="tinh")
    assignment = assign(tree, unit=tree.province, actor=province_officer)
    client.force_login(tree.users["officer_a"])

    top = client.get(reverse("study:figures", args=[assignment.pk]))
    cell = client.get(reverse("study:figures", args=[assignment.pk]) + "?unit=XA-C1")

    assert top.context["unit"] == tree.commune_a and top.context["top"] is None
    assert cell.context["top"] == tree.commune_a


def test_the_quiz_page_says_why_it_offers_no_form(client, tree, pinned_clock):
    assignment = assign(tree)
    client.force_login(tree.users["officer_a"])
    url = reverse("study:quiz", args=[assignment.pk])
    assert "Members of the cells the assignment is for take the quiz." in client.get(url).text

    pinned_clock.move_to(_at(LAST_DAY + datetime.timedelta(days=1)))
    client.force_login(tree.users["member_a1"])
    page = client.get(url).text
    assert f"The study period ended on {LAST_DAY:%d/%m/%Y}." in page
    assert "attempts left" not in page
