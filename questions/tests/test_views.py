"""The question pages as a member and as an answerer."""

from django.urls import reverse

from questions.choices import QuestionState
from questions.models import Question

from .factories import make_answered_question, make_published_question, make_question


def test_a_member_asks_their_cell_from_the_ask_page(client, tree):
    client.force_login(tree.users["member_a1"])

    response = client.post(
        reverse("questions:ask"), {"addressee": "cell", "text": "Khi nào họp chi bộ?", "may_publish": "on"}
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:detail", args=[question.pk])
    assert question.unit == tree.cell_a1
    assert question.may_publish is True


def test_the_ask_page_tells_an_account_without_a_record_to_see_the_secretary(client, tree):
    client.force_login(tree.users["no_role"])

    response = client.get(reverse("questions:ask"))

    assert response.status_code == 200
    assert "not linked to a party member record" in response.text


def test_an_empty_question_is_shown_back_with_its_error(client, tree):
    client.force_login(tree.users["member_a1"])

    response = client.post(reverse("questions:ask"), {"addressee": "cell", "text": ""})

    assert response.status_code == 200
    assert "field-error" in response.text
    assert not Question.objects.exists()


def test_my_questions_lists_the_members_questions_with_their_state(client, tree):
    make_question(tree, text="Câu hỏi thứ nhất")
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("questions:mine"))

    assert "Câu hỏi thứ nhất" in response.text
    assert "Waiting for an answer" in response.text


def test_the_secretary_answers_from_the_question_page(client, tree):
    question = make_question(tree)
    client.force_login(tree.users["secretary_a1"])
    page = client.get(reverse("questions:detail", args=[question.pk]))
    assert "Nguyễn Văn An" in page.text  # the answerer sees who asked

    response = client.post(reverse("questions:answer", args=[question.pk]), {"answer": "Ngày 4 hằng tháng."})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED


def test_the_asker_reads_the_answer_but_has_no_answer_form(client, tree):
    question = make_answered_question(tree)
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("questions:detail", args=[question.pk]))

    assert "Đóng hằng tháng tại chi bộ." in response.text
    assert reverse("questions:answer", args=[question.pk]) not in response.text


def test_the_asker_cannot_answer_their_own_question(client, tree):
    question = make_question(tree)
    client.force_login(tree.users["member_a1"])

    response = client.post(reverse("questions:answer", args=[question.pk]), {"answer": "Tự trả lời"})

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.state == QuestionState.OPEN


def test_publishing_with_the_name_left_in_shows_the_error_on_the_form(client, tree):
    question = make_answered_question(tree)
    client.force_login(tree.users["secretary_a1"])

    response = client.post(
        reverse("questions:publish", args=[question.pk]),
        {"faq_question": "Nguyễn Văn An hỏi về đảng phí", "faq_answer": "Hằng tháng."},
    )

    assert response.status_code == 200
    assert "Remove the member" in response.text
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED


def test_the_faq_shows_the_published_texts_and_never_the_askers_name(client, tree):
    make_published_question(tree, text="Nguyễn Văn An hỏi: đảng phí đóng thế nào?")
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("questions:faq"))

    assert "Đảng phí đóng thế nào (câu hỏi đã xuất bản)?" in response.text
    assert "Nguyễn Văn An" not in response.text


def test_the_queue_lists_questions_waiting_for_the_officials_units(officer_a, tree):
    make_question(tree, text="Câu hỏi chờ")
    make_answered_question(tree, text="Câu hỏi đã trả lời")

    waiting = officer_a.get(reverse("questions:queue"))
    answered = officer_a.get(reverse("questions:queue"), {"state": "answered"})

    assert "Câu hỏi chờ" in waiting.text
    assert "Câu hỏi đã trả lời" not in waiting.text
    assert "Câu hỏi đã trả lời" in answered.text


def test_the_queue_is_paginated(officer_a, tree, settings):
    for number in range(30):
        make_question(tree, text=f"Câu hỏi số {number:02d}")

    first = officer_a.get(reverse("questions:queue"))
    second = officer_a.get(reverse("questions:queue"), {"page": 2})

    assert "Page 1 of 2" in first.text
    assert "Câu hỏi số 00" in first.text
    assert "Câu hỏi số 29" in second.text


def test_the_navigation_shows_questions_to_a_member_and_to_an_answerer(client, tree):
    client.force_login(tree.users["member_a1"])
    assert reverse("questions:mine") in client.get(reverse("questions:faq")).text
    client.force_login(tree.users["officer_a"])
    assert reverse("questions:queue") in client.get(reverse("questions:faq")).text
    client.force_login(tree.users["province_viewer"])
    assert reverse("questions:queue") not in client.get(reverse("questions:faq")).text


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the menu's unread count is kept from the first visit on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_and_the_faq_take_as_many_queries_for_many_questions_as_for_one(officer_a, tree):
    make_question(tree)
    make_published_question(tree, addressee="commune", answerer="officer_a")
    one = (count_queries(officer_a, reverse("questions:queue")), count_queries(officer_a, reverse("questions:faq")))
    for number in range(5):
        make_question(tree, text=f"Câu hỏi {number}")
        make_published_question(tree, addressee="commune", answerer="officer_a")

    many = (count_queries(officer_a, reverse("questions:queue")), count_queries(officer_a, reverse("questions:faq")))

    assert many == one
