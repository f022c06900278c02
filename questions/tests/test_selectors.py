"""Who sees which questions: the asker, the answerers of the unit and above; the FAQ of one's subtree."""

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from members.tests.factories import make_member
from questions.selectors import faq_for, my_open_questions, question_queue, questions_visible_to
from questions.services import question_ask, question_close

from .factories import make_published_question, make_question


def test_the_queue_of_a_cell_secretary_holds_their_cells_questions(tree):
    question = make_question(tree)

    assert list(question_queue(actor=tree.users["secretary_a1"])) == [question]
    assert list(question_queue(actor=tree.users["officer_a"])) == [question]


def test_a_sibling_commune_sees_nothing_of_commune_a(tree):
    make_question(tree)

    assert not question_queue(actor=tree.users["officer_b"]).exists()
    assert not questions_visible_to(tree.users["officer_b"]).exists()


def test_a_viewer_without_question_answer_has_no_queue(tree):
    make_question(tree)

    assert not question_queue(actor=tree.users["province_viewer"]).exists()


def test_a_member_sees_only_their_own_questions(tree):
    mine = make_question(tree)
    other = make_user(role=RoleKind.MEMBER, unit=tree.cell_a1, member=make_member(unit=tree.cell_a1))
    theirs = question_ask(actor=other, addressee="cell", text="Câu hỏi của người khác")

    visible = set(questions_visible_to(tree.users["member_a1"]))

    assert mine in visible
    assert theirs not in visible


def test_the_faq_of_a_commune_is_read_by_its_members_but_not_by_a_sibling_communes(tree):
    published = make_published_question(tree, addressee="commune", answerer="officer_a")
    member_b = make_user(role=RoleKind.MEMBER, unit=tree.cell_b1, member=tree.member_b1)

    assert list(faq_for(actor=tree.users["member_a1"])) == [published]
    assert list(faq_for(actor=tree.users["province_viewer"])) == [published]
    assert not faq_for(actor=member_b).exists()
    assert not faq_for(actor=tree.users["officer_b"]).exists()


def test_the_faq_of_a_cell_is_not_read_in_the_next_cell(tree):
    make_published_question(tree, addressee="cell")
    member_a2 = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, member=tree.member_a2)

    assert faq_for(actor=tree.users["member_a1"]).count() == 1
    assert faq_for(actor=tree.users["officer_a"]).count() == 1
    assert not faq_for(actor=member_a2).exists()


def test_a_closed_question_leaves_the_faq_and_the_members_open_list(tree):
    published = make_published_question(tree)
    question_close(actor=tree.users["secretary_a1"], question=published)

    assert not faq_for(actor=tree.users["member_a1"]).exists()
    assert my_open_questions(user=tree.users["member_a1"]) == []
