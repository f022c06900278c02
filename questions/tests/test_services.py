"""Asking, routing, answering, publishing anonymised, closing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from members.tests.factories import make_member
from notifications.models import Notification
from questions.choices import QuestionState
from questions.services import answerers_for, question_answer, question_ask, question_close, question_publish

from .factories import make_answered_question, make_question


def test_a_question_to_the_cell_goes_to_the_cell_and_its_secretary_is_told(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(tree, addressee="cell")

    assert question.unit == tree.cell_a1
    assert question.state == QuestionState.OPEN
    told = Notification.objects.get(kind="question_asked")
    assert told.user == tree.users["secretary_a1"]
    assert told.url == f"/questions/{question.pk}/"


def test_a_question_to_the_commune_goes_to_the_commune_committee_and_its_officials(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(tree, addressee="commune")

    assert question.unit == tree.commune_a
    told = set(Notification.objects.filter(kind="question_asked").values_list("user__username", flat=True))
    assert told == {"officer_a", "admin_a"}


def test_a_cell_without_a_secretary_sends_its_questions_to_the_nearest_committee_above(tree):
    asker = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, member=tree.member_a2, username="member_a2")

    question = question_ask(actor=asker, addressee="cell", text="Ai là bí thư chi bộ?")

    assert question.unit == tree.cell_a2
    assert set(answerers_for(tree.cell_a2)) == {tree.users["officer_a"].pk, tree.users["admin_a"].pk}


def test_a_member_from_a_cell_of_a_grassroots_committee_asks_the_commune_above_it(tree):
    member = make_member(unit=tree.cell_ag1, full_name="Phạm Thị Dung")
    asker = make_user(role=RoleKind.MEMBER, unit=tree.cell_ag1, member=member)

    question = question_ask(actor=asker, addressee="commune", text="Hỏi đảng ủy xã")

    assert question.unit == tree.commune_a


def test_only_a_user_with_a_member_record_may_ask(tree):
    with pytest.raises(PermissionDenied):
        question_ask(actor=tree.users["officer_a"], addressee="cell", text="?")


def test_an_empty_question_is_refused(tree):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        question_ask(actor=tree.users["member_a1"], addressee="cell", text="   ")

    assert "text" in raised.value.message_dict


def test_asking_writes_the_change_log(tree):
    question = make_question(tree)

    entry = ChangeLog.objects.get(object_id=question.pk, action="create", object_type__model="question")
    assert entry.actor == tree.users["member_a1"]
    assert entry.unit == tree.cell_a1


def test_answering_tells_the_member_once(tree, django_capture_on_commit_callbacks):
    question = make_question(tree)

    with django_capture_on_commit_callbacks(execute=True):
        question_answer(actor=tree.users["secretary_a1"], question=question, answer="Hằng tháng.")
        question_answer(actor=tree.users["secretary_a1"], question=question, answer="Hằng tháng, tại chi bộ.")

    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED
    assert question.answer == "Hằng tháng, tại chi bộ."
    assert question.answered_by == tree.users["secretary_a1"]
    told = Notification.objects.get(user=tree.users["member_a1"], kind="question_answered")
    assert told.url == f"/questions/{question.pk}/"
    assert "Nguyễn Văn An" not in told.body


def test_a_committee_above_may_answer_a_question_to_a_cell(tree):
    question = make_question(tree)

    question_answer(actor=tree.users["officer_a"], question=question, answer="Trả lời từ xã.")

    assert question.__class__.objects.get(pk=question.pk).state == QuestionState.ANSWERED


@pytest.mark.parametrize("username", ["officer_b", "member_a1", "province_viewer", "no_role"])
def test_those_without_question_answer_on_the_unit_cannot_answer(tree, username):
    question = make_question(tree)

    with pytest.raises(PermissionDenied):
        question_answer(actor=tree.users[username], question=question, answer="x")

    question.refresh_from_db()
    assert question.state == QuestionState.OPEN


def test_publishing_keeps_the_edited_texts_and_never_the_name(tree):
    question = make_answered_question(tree, text="Tôi là Nguyễn Văn An ở thôn 1, đảng phí đóng thế nào?")

    question_publish(
        actor=tree.users["secretary_a1"],
        question=question,
        faq_question="Đảng phí đóng thế nào?",
        faq_answer="Hằng tháng tại chi bộ.",
    )

    question.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    assert question.faq_question == "Đảng phí đóng thế nào?"
    assert question.published_by == tree.users["secretary_a1"]


def test_publishing_a_text_with_the_members_name_is_refused(tree):
    question = make_answered_question(tree)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        question_publish(
            actor=tree.users["secretary_a1"],
            question=question,
            faq_question="Đồng chí nguyễn văn an hỏi: đảng phí?",
            faq_answer="Hằng tháng.",
        )

    assert "faq_question" in raised.value.message_dict
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED


def test_publishing_without_the_members_consent_is_refused(tree):
    question = make_answered_question(tree, may_publish=False)

    with pytest.raises(ValidationError):
        question_publish(actor=tree.users["secretary_a1"], question=question, faq_question="A?", faq_answer="B.")


def test_an_open_question_cannot_be_published(tree):
    question = make_question(tree)

    with pytest.raises(ValidationError):
        question_publish(actor=tree.users["secretary_a1"], question=question, faq_question="A?", faq_answer="B.")


def test_the_asker_may_withdraw_their_question(tree):
    question = make_question(tree)

    question_close(actor=tree.users["member_a1"], question=question)

    question.refresh_from_db()
    assert question.state == QuestionState.CLOSED
    assert question.closed_at is not None


def test_another_member_cannot_close_a_question(tree):
    question = make_question(tree)
    other = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, member=tree.member_a2)

    with pytest.raises(PermissionDenied):
        question_close(actor=other, question=question)


def test_a_closed_question_cannot_be_answered(tree):
    question = make_question(tree)
    question_close(actor=tree.users["secretary_a1"], question=question)

    with pytest.raises(ValidationError):
        question_answer(actor=tree.users["secretary_a1"], question=question, answer="Muộn.")
