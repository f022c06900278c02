"""Study's pages as members, secretaries and committee officers use them."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests import clock
from meetings.tests.factories import make_meeting
from notifications.models import Notification
from study.choices import TEXT_STEP
from study.models import StudyAssignment, StudyProgress

from .factories import FIRST_DAY, LAST_DAY, assign, right_answers


def _signed_in(client, tree, username):
    client.force_login(tree.users[username])
    return client


def test_opening_the_assignment_starts_it_but_the_phones_fetch_ahead_does_not(client, tree):
    assignment = assign(tree)
    member = _signed_in(client, tree, "member_a1")

    member.get(reverse("study:assignment", args=[assignment.pk]), headers={"X-Sotay-Keep": "1"})
    assert not StudyProgress.objects.exists()

    response = member.get(reverse("study:assignment", args=[assignment.pk]))

    assert response.status_code == 200
    assert "Những điểm mới của Nghị quyết" in response.text
    assert StudyProgress.objects.filter(assignment=assignment, member=tree.member_a1).exists()


def test_the_member_ticks_a_part_and_comes_back_to_it(client, tree):
    assignment = assign(tree)
    member = _signed_in(client, tree, "member_a1")

    response = member.post(reverse("study:step_done"), {"assignment": assignment.pk, "step": TEXT_STEP})

    assert response.status_code == 302
    assert response["Location"] == reverse("study:assignment", args=[assignment.pk]) + f"#step-{TEXT_STEP}"
    assert StudyProgress.objects.get(assignment=assignment).studied_at is not None
    page = member.get(response["Location"])
    assert "Part read" in page.text


def test_a_member_of_another_commune_cannot_tick_a_part(client, tree):
    assignment = assign(tree)
    officer_b = _signed_in(client, tree, "officer_b")

    response = officer_b.post(reverse("study:step_done"), {"assignment": assignment.pk, "step": TEXT_STEP})

    assert response.status_code == 404
    assert not StudyProgress.objects.exists()


def _quiz_form(assignment, answers) -> dict:
    return {f"q{question_id}": choices for question_id, choices in answers.items()}


def test_the_member_takes_the_quiz_and_sees_the_right_answers_only_once_passed(client, tree):
    assignment = assign(tree)
    member = _signed_in(client, tree, "member_a1")
    url = reverse("study:quiz", args=[assignment.pk])

    failed = member.post(url, _quiz_form(assignment, right_answers(assignment, wrong=2)))
    assert failed["Location"] == f"{url}?attempt=1"
    result = member.get(failed["Location"])
    assert "Attempt 1: 2 of 4 right (50%)." in result.text
    assert "✓ right answer" not in result.text  # one attempt left: the key stays hidden

    passed = member.post(url, _quiz_form(assignment, right_answers(assignment)))
    result = member.get(passed["Location"])

    assert "Attempt 2: 4 of 4 right (100%)." in result.text and "✓ right answer" in result.text
    assert 'name="q' not in result.text  # no form once passed


def test_an_unanswered_question_is_named_and_nothing_is_kept(client, tree):
    assignment = assign(tree)
    member = _signed_in(client, tree, "member_a1")
    answers = right_answers(assignment)
    answers[next(iter(answers))] = []

    response = member.post(reverse("study:quiz", args=[assignment.pk]), _quiz_form(assignment, answers))

    assert response.status_code == 200
    assert "question 1 is not answered" in response.text
    assert not StudyProgress.objects.filter(attempts_used__gt=0).exists()


def test_the_committee_assigns_study_on_a_page_and_the_members_are_told(
    client, tree, django_capture_on_commit_callbacks
):
    officer = _signed_in(client, tree, "officer_a")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("study:new"),
            {
                "unit": tree.commune_a.code,
                "kind": "topic",
                "title": "Chuyên đề tháng 12",
                "text": "Nội dung",
                "starts_on": FIRST_DAY.isoformat(),
                "ends_on": LAST_DAY.isoformat(),
                "pass_mark": 80,
                "max_attempts": 3,
                "notify_members": "on",
            },
        )

    assignment = StudyAssignment.objects.get()
    assert response["Location"] == reverse("study:questions", args=[assignment.pk])
    assert assignment.unit == tree.commune_a
    told = Notification.objects.filter(user=tree.users["member_a1"], kind="study.assigned").get()
    assert told.url == reverse("study:assignment", args=[assignment.pk])
    assert told.title == "Cần học tập: Chuyên đề tháng 12"


def test_the_committee_writes_a_question_on_the_page(client, tree):
    assignment = assign(tree, questions=())
    officer = _signed_in(client, tree, "officer_a")

    response = officer.post(
        reverse("study:questions", args=[assignment.pk]),
        {"text": "Chi bộ họp mấy lần?", "answer_A": "Một", "answer_B": "Hai", "right_B": "on", "explanation": "Vì"},
    )

    assert response.status_code == 302
    question = assignment.questions.get()
    assert [(c.letter, c.is_correct) for c in question.choices.all()] == [("A", False), ("B", True)]


def _workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile("cau-hoi.xlsx", content.getvalue())


def test_a_question_bank_with_wrong_rows_is_refused_whole_each_row_with_all_its_problems(client, tree):
    assignment = assign(tree, questions=())
    officer = _signed_in(client, tree, "officer_a")
    upload = _workbook(
        [
            ["Câu hỏi", "A", "B", "C", "Đáp án", "Giải thích"],
            ["Câu đúng?", "Một", "Hai", "", "A", ""],
            ["", "Một", "", "", "D", ""],
            ["Câu ba?", "Một", "Hai", "Ba", "A, B", ""],
        ]
    )

    response = officer.post(reverse("study:questions_import", args=[assignment.pk]), {"file": upload})

    assert response.status_code == 200
    text = response.text
    # Row 3, with all three of its problems; row 4's two right letters make a question with more than one answer.
    assert "The question is missing." in text and "“D”" in text and "Give at least two answers." in text
    assert "Only one answer may be right" not in text
    assert assignment.questions.count() == 0


def test_a_question_bank_is_imported(client, tree):
    assignment = assign(tree, questions=())
    officer = _signed_in(client, tree, "officer_a")
    sample = officer.get(reverse("study:questions_sample"))
    upload = SimpleUploadedFile("mau.xlsx", sample.content)

    response = officer.post(reverse("study:questions_import", args=[assignment.pk]), {"file": upload})

    assert response.status_code == 302
    first, second = assignment.questions.order_by("position")
    assert not first.is_multiple and second.is_multiple
    assert [c.is_correct for c in second.choices.all()] == [True, True, False]
    assert first.explanation.startswith("Điều lệ Đảng")


def test_figures_drill_down_to_the_cell_and_list_who_has_not_started(client, tree):
    assignment = assign(tree)
    client.force_login(tree.users["member_a1"])
    client.post(reverse("study:quiz", args=[assignment.pk]), _quiz_form(assignment, right_answers(assignment)))
    officer = _signed_in(client, tree, "officer_a")

    figures = officer.get(reverse("study:figures", args=[assignment.pk]))
    cell = officer.get(reverse("study:figures", args=[assignment.pk]) + "?unit=XA-C2")
    waiting = officer.get(reverse("study:members", args=[assignment.pk]) + "?unit=XA&state=not_started")

    assert figures.context["total"].passed == 1 and figures.context["total"].members == 2
    assert "Chi bộ thôn 1" in figures.text and "?unit=XA-C1" in figures.text
    assert cell.context["total"].members == 1 and cell.context["total"].passed == 0
    assert [member.pk for member, _state in waiting.context["rows"]] == [tree.member_a2.pk]


def test_the_secretary_sees_only_their_cell_and_marks_who_studied_at_the_meeting(client, tree):
    assignment = assign(tree)
    meeting = make_meeting(unit=tree.cell_a1, starts_at=clock.NOW - datetime.timedelta(hours=2), topic="Học nghị quyết")
    secretary = _signed_in(client, tree, "secretary_a1")

    page = secretary.get(reverse("study:members", args=[assignment.pk]))
    assert page.context["unit"] == tree.cell_a1
    assert "Học nghị quyết" in page.text
    assert secretary.get(reverse("study:figures", args=[assignment.pk]) + "?unit=XA-C2").status_code == 404

    response = secretary.post(
        reverse("study:mark", args=[assignment.pk]),
        {"member": [tree.member_a1.pk], "meeting": meeting.pk, "unit": "XA-C1"},
    )

    assert response["Location"] == reverse("study:members", args=[assignment.pk]) + "?unit=XA-C1"
    assert StudyProgress.objects.get(member=tree.member_a1).marked_meeting == meeting


def test_the_export_has_the_figures_and_every_member_and_is_logged(client, tree):
    assignment = assign(tree)
    client.force_login(tree.users["member_a1"])
    client.post(reverse("study:quiz", args=[assignment.pk]), _quiz_form(assignment, right_answers(assignment)))
    officer = _signed_in(client, tree, "officer_a")

    response = officer.get(reverse("study:export", args=[assignment.pk]))

    book = load_workbook(io.BytesIO(response.content))
    units = [[cell for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    members = [[cell for cell in row] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert ["Tổng cộng", "2", "1", "1", "50,0", "1", "50,0"] in [[str(c) for c in row] for row in units]
    assert any(
        row[1] == "Nguyễn Văn An" and row[3] == "Đã đạt bài kiểm tra" and str(row[6]) == "100" for row in members
    )
    assert any(row[1] == "Trần Thị Bình" and row[3] == "Chưa bắt đầu" for row in members)
    assert ChangeLog.objects.filter(action=ChangeAction.EXPORT, unit=tree.commune_a).count() == 1


def test_the_home_shows_what_is_to_study(client, tree):
    assignment = assign(tree)
    member = _signed_in(client, tree, "member_a1")

    response = member.get(reverse("handbook:home"))

    assert assignment.title in response.text
    assert f'href="{reverse("study:assignment", args=[assignment.pk])}" data-keep-offline' in response.text
