"""Study's writes: what the committee assigns, what a member records, what the secretary marks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests import clock
from library.tests.factories import make_document
from meetings.tests.factories import make_meeting
from study.choices import TEXT_STEP, StudyState
from study.models import QuizAttempt, StudyProgress
from study.selectors import member_states, own_assignments_to_do, state_of, study_figures
from study.services import (
    assignment_create,
    assignment_extend,
    marks_record,
    question_add,
    question_remove,
    quiz_submit,
    study_open,
    study_step_done,
)

from .factories import FIRST_DAY, LAST_DAY, QUESTIONS, assign, right_answers


def _data(**overrides):
    data = {
        "kind": "topic",
        "title": "Chuyên đề tháng 12",
        "text": "Nội dung chuyên đề",
        "starts_on": FIRST_DAY,
        "ends_on": LAST_DAY,
        "pass_mark": 80,
        "max_attempts": 3,
    }
    return {**data, **overrides}


def test_a_committee_assigns_study_to_its_subtree_and_it_is_logged(tree):
    document = make_document(unit=tree.province)

    assignment = assignment_create(
        actor=tree.users["officer_a"], unit=tree.commune_a, data=_data(), documents=[document]
    )

    assert list(assignment.documents.all()) == [document]
    assert ChangeLog.objects.for_object(assignment).filter(action=ChangeAction.CREATE).exists()


def test_an_assignment_is_refused_with_every_problem_named(tree):
    elsewhere = make_document(unit=tree.commune_b)

    with pytest.raises(ValidationError) as caught:
        assignment_create(
            actor=tree.users["officer_a"],
            unit=tree.commune_a,
            data=_data(title=" ", text="", ends_on=FIRST_DAY - datetime.timedelta(days=1)),
            documents=[elsewhere],
        )

    assert set(caught.value.message_dict) == {"title", "ends_on", "documents"}


def test_an_assignment_that_ended_before_today_is_refused(tree):
    with pytest.raises(ValidationError) as caught:
        assignment_create(
            actor=tree.users["officer_a"],
            unit=tree.commune_a,
            data=_data(starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 11, 30)),
            documents=[],
        )
    assert "30/11/2026" in caught.value.message_dict["ends_on"][0]


def test_only_the_committee_assigns_study_on_its_unit(tree):
    with pytest.raises(PermissionDenied):
        assignment_create(actor=tree.users["officer_b"], unit=tree.commune_a, data=_data(), documents=[])
    with pytest.raises(PermissionDenied):
        assignment_create(actor=tree.users["member_a1"], unit=tree.commune_a, data=_data(), documents=[])


@pytest.mark.parametrize(
    ("choices", "is_multiple", "expected"),
    [
        ([("Một", True)], False, "Give at least two answers."),
        ([("Một", False), ("Hai", False)], False, "Mark the right answer."),
        ([("Một", True), ("Hai", True)], False, "Only one answer may be right"),
    ],
)
def test_a_question_must_be_answerable(tree, choices, is_multiple, expected):
    assignment = assign(tree, questions=())

    with pytest.raises(ValidationError) as caught:
        question_add(
            actor=tree.users["officer_a"], assignment=assignment, text="Câu?", choices=choices, is_multiple=is_multiple
        )

    assert expected in " ".join(caught.value.messages)
    assert assignment.questions.count() == 0


def test_the_member_studies_part_by_part_and_the_last_part_makes_it_studied(tree):
    document = make_document(unit=tree.commune_a)
    assignment = assign(tree, documents=[document])
    member = tree.users["member_a1"]

    progress = study_open(actor=member, assignment=assignment)
    assert state_of(progress) == StudyState.STUDYING

    progress = study_step_done(actor=member, assignment=assignment, step=TEXT_STEP)
    assert progress.studied_at is None
    progress = study_step_done(actor=member, assignment=assignment, step=TEXT_STEP)  # sent again from the phone
    assert progress.steps_done == [TEXT_STEP]
    progress = study_step_done(actor=member, assignment=assignment, step=f"doc-{document.pk}")

    assert progress.studied_at is not None
    assert state_of(progress) == StudyState.STUDIED


def test_a_step_the_assignment_does_not_have_is_refused(tree):
    assignment = assign(tree)

    with pytest.raises(ValidationError):
        study_step_done(actor=tree.users["member_a1"], assignment=assignment, step="doc-999")


def test_a_member_outside_the_subtree_or_an_official_without_a_record_does_not_study(tree):
    from accounts.choices import RoleKind
    from accounts.tests.factories import make_user

    assignment = assign(tree)
    member_b = make_user(role=RoleKind.MEMBER, unit=tree.cell_b1, username="member_b1", member=tree.member_b1)

    for user in (member_b, tree.users["officer_a"]):
        with pytest.raises(PermissionDenied):
            study_step_done(actor=user, assignment=assignment, step=TEXT_STEP)
    assert not StudyProgress.objects.exists()


def test_nothing_is_recorded_outside_the_study_period(tree, pinned_clock):
    assignment = assign(tree)
    pinned_clock.move_to(
        datetime.datetime.combine(LAST_DAY + datetime.timedelta(days=1), datetime.time(9), tzinfo=clock.NOW.tzinfo)
    )

    with pytest.raises(ValidationError) as caught:
        study_step_done(actor=tree.users["member_a1"], assignment=assignment, step=TEXT_STEP)

    assert LAST_DAY.strftime("%d/%m/%Y") in caught.value.messages[0]


def test_the_quiz_is_scored_kept_and_passing_makes_the_assignment_studied(tree):
    assignment = assign(tree)  # four questions, pass mark 75 %, two attempts
    member = tree.users["member_a1"]

    first = quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment, wrong=2))
    second = quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment, wrong=1))

    assert (first.number, first.correct, first.score, first.passed) == (1, 2, 50, False)
    assert (second.number, second.correct, second.score, second.passed) == (2, 3, 75, True)
    progress = StudyProgress.objects.get(assignment=assignment, member=tree.member_a1)
    assert (progress.attempts_used, progress.best_score) == (2, 75)
    assert progress.passed_at is not None and progress.studied_at is not None


def test_no_attempt_after_passing_or_after_the_last_attempt(tree):
    assignment = assign(tree)
    member = tree.users["member_a1"]
    quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment))

    with pytest.raises(ValidationError):
        quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment))

    other = assign(tree, title="Chuyên đề khác")
    quiz_submit(actor=member, assignment=other, answers=right_answers(other, wrong=4))
    quiz_submit(actor=member, assignment=other, answers=right_answers(other, wrong=4))
    with pytest.raises(ValidationError) as caught:
        quiz_submit(actor=member, assignment=other, answers=right_answers(other))
    assert "2" in caught.value.messages[0]
    assert QuizAttempt.objects.filter(progress__assignment=other).count() == 2


def test_every_question_must_be_answered_with_its_own_choices(tree):
    assignment = assign(tree)
    member = tree.users["member_a1"]
    answers = right_answers(assignment)
    first, second = list(answers)[:2]

    with pytest.raises(ValidationError) as caught:
        quiz_submit(actor=member, assignment=assignment, answers={**answers, first: []})
    assert "1" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        quiz_submit(actor=member, assignment=assignment, answers={**answers, first: answers[second]})
    with pytest.raises(ValidationError):  # two answers to a one-answer question
        quiz_submit(
            actor=member, assignment=assignment, answers={**answers, first: answers[first] + answers[second][:1]}
        )
    assert not QuizAttempt.objects.exists()


def test_questions_cannot_change_once_someone_answered(tree):
    assignment = assign(tree)
    quiz_submit(actor=tree.users["member_a1"], assignment=assignment, answers=right_answers(assignment))

    with pytest.raises(ValidationError):
        question_add(
            actor=tree.users["officer_a"],
            assignment=assignment,
            text="Câu mới?",
            choices=[("A", True), ("B", False)],
            is_multiple=False,
        )
    with pytest.raises(ValidationError):
        question_remove(
            actor=tree.users["officer_a"], assignment=assignment, question_id=assignment.questions.first().pk
        )


def test_removing_a_question_numbers_the_rest_again_and_is_logged(tree):
    assignment = assign(tree)
    first = assignment.questions.order_by("position").first()

    question_remove(actor=tree.users["officer_a"], assignment=assignment, question_id=first.pk)

    assert list(assignment.questions.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    log = ChangeLog.objects.for_object(first).get(action=ChangeAction.UPDATE)
    assert log.postchange_data is None
    assert log.prechange_data["text"] == QUESTIONS[0][0]
    assert log.prechange_data["choices"][0] == [QUESTIONS[0][1][0][0], True]


def test_the_secretary_marks_members_who_studied_at_the_cells_meeting(tree):
    assignment = assign(tree)
    meeting = make_meeting(unit=tree.cell_a1, starts_at=clock.NOW - datetime.timedelta(hours=3))

    marked = marks_record(
        actor=tree.users["secretary_a1"], assignment=assignment, member_ids=[tree.member_a1.pk], meeting=meeting
    )

    progress = StudyProgress.objects.get(assignment=assignment, member=tree.member_a1)
    assert marked == 1
    assert progress.studied_at is not None and progress.marked_meeting == meeting
    assert progress.marked_by == tree.users["secretary_a1"]
    assert ChangeLog.objects.for_object(progress).filter(unit=tree.cell_a1).exists()
    # Marked again: nothing changes.
    assert marks_record(actor=tree.users["secretary_a1"], assignment=assignment, member_ids=[tree.member_a1.pk]) == 0


def test_a_secretary_marks_only_members_of_their_own_cell(tree):
    assignment = assign(tree)

    with pytest.raises(PermissionDenied):
        marks_record(actor=tree.users["secretary_a1"], assignment=assignment, member_ids=[tree.member_a2.pk])
    assert not StudyProgress.objects.exists()


def test_the_meeting_named_must_be_of_the_members_cell_and_in_the_period(tree):
    assignment = assign(tree)
    other_cell = make_meeting(unit=tree.cell_a2, starts_at=clock.NOW - datetime.timedelta(hours=3))
    before = make_meeting(unit=tree.cell_a1, starts_at=clock.NOW - datetime.timedelta(days=10))

    for meeting in (other_cell, before):
        with pytest.raises(ValidationError):
            marks_record(
                actor=tree.users["officer_a"], assignment=assignment, member_ids=[tree.member_a1.pk], meeting=meeting
            )
    assert not StudyProgress.objects.exists()


def test_figures_count_current_members_unit_by_unit(tree):
    assignment = assign(tree)
    quiz_submit(actor=tree.users["member_a1"], assignment=assignment, answers=right_answers(assignment))
    marks_record(actor=tree.users["officer_a"], assignment=assignment, member_ids=[tree.member_a2.pk])

    total, children = study_figures(actor=tree.users["officer_a"], assignment=assignment, unit=tree.commune_a)

    assert (total.members, total.started, total.studied, total.passed) == (2, 2, 2, 1)
    by_code = {row.unit.code: row for row in children}
    assert (by_code["XA-C1"].studied, by_code["XA-C1"].passed, by_code["XA-C1"].passed_percent) == (1, 1, 100.0)
    assert (by_code["XA-C2"].studied, by_code["XA-C2"].passed, by_code["XA-C2"].studied_percent) == (1, 0, 100.0)


def test_the_list_of_who_has_not_started(tree):
    assignment = assign(tree)
    study_open(actor=tree.users["member_a1"], assignment=assignment)

    waiting = member_states(
        actor=tree.users["officer_a"], assignment=assignment, unit=tree.commune_a, state="not_started"
    )
    studying = member_states(
        actor=tree.users["officer_a"], assignment=assignment, unit=tree.commune_a, state="studying"
    )

    assert [member.pk for member in waiting] == [tree.member_a2.pk]
    assert [member.pk for member in studying] == [tree.member_a1.pk]


def test_the_home_lists_what_the_member_has_still_to_study(tree):
    assignment = assign(tree)
    member = tree.users["member_a1"]
    assert own_assignments_to_do(user=member, limit=3) == [assignment]

    quiz_submit(actor=member, assignment=assignment, answers=right_answers(assignment))

    assert own_assignments_to_do(user=member, limit=3) == []


def test_the_committee_gives_more_time(tree):
    assignment = assign(tree)

    assignment_extend(
        actor=tree.users["officer_a"], assignment=assignment, ends_on=LAST_DAY + datetime.timedelta(days=10)
    )

    assignment.refresh_from_db()
    assert assignment.ends_on == LAST_DAY + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        assignment_extend(
            actor=tree.users["officer_a"], assignment=assignment, ends_on=FIRST_DAY - datetime.timedelta(days=1)
        )


def test_members_who_have_not_finished_are_reminded_once_near_the_last_day(tree, django_capture_on_commit_callbacks):
    from accounts.choices import RoleKind
    from accounts.tests.factories import make_user
    from notifications.models import Notification
    from study.services import study_send_reminders

    assignment = assign(tree)
    passed = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, username="member_a2", member=tree.member_a2)
    quiz_submit(actor=passed, assignment=assignment, answers=right_answers(assignment))

    with django_capture_on_commit_callbacks(execute=True):
        early = study_send_reminders(day=LAST_DAY - datetime.timedelta(days=4))
        near = study_send_reminders(day=LAST_DAY - datetime.timedelta(days=3))
        again = study_send_reminders(day=LAST_DAY)

    assert (early, near, again) == (0, 1, 1)
    reminders = Notification.objects.filter(kind="study.reminder")
    assert list(reminders.values_list("user__username", flat=True)) == ["member_a1"]  # once, and not who passed


def test_the_reminders_command_names_how_many_assignments_it_reminded_of(tree):
    import io

    from django.core.management import call_command

    assign(tree)
    out = io.StringIO()

    call_command("send_study_reminders", day=LAST_DAY, stdout=out)

    assert "1 assignments reminded" in out.getvalue()
