"""The questions API: ask, read, answer, publish, close; the FAQ carries no asker."""

from common.tests.api import api_client
from questions.choices import QuestionState
from questions.models import Question

from .factories import make_answered_question, make_published_question, make_question


def test_a_member_asks_over_the_api(tree):
    client = api_client(tree.users["member_a1"])

    response = client.post(
        "/api/questions",
        {"addressee": "commune", "text": "Hỏi đảng ủy xã", "may_publish": True},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["unit_code"] == "XA"
    assert response.json()["state"] == "open"


def test_an_account_without_a_record_cannot_ask(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/questions", {"text": "?"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not Question.objects.exists()


def test_my_questions_are_only_mine(tree):
    make_question(tree, text="Của tôi")

    mine = api_client(tree.users["member_a1"]).get("/api/questions/mine").json()
    theirs = api_client(tree.users["officer_a"]).get("/api/questions/mine").json()

    assert [item["text"] for item in mine["items"]] == ["Của tôi"]
    assert theirs["count"] == 0


def test_answer_then_publish_over_the_api(tree):
    question = make_question(tree)
    client = api_client(tree.users["secretary_a1"])

    answered = client.post(f"/api/questions/{question.pk}/answer", {"answer": "Có."}, content_type="application/json")
    published = client.post(
        f"/api/questions/{question.pk}/publish",
        {"faq_question": "Câu hỏi?", "faq_answer": "Có."},
        content_type="application/json",
    )

    assert answered.json()["state"] == "answered"
    assert published.status_code == 200, published.content
    assert published.json()["state"] == "published"


def test_publishing_with_the_name_is_a_422_naming_the_field(tree):
    question = make_answered_question(tree)

    response = api_client(tree.users["secretary_a1"]).post(
        f"/api/questions/{question.pk}/publish",
        {"faq_question": "Nguyễn Văn An hỏi", "faq_answer": "Có."},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "faq_question" in response.json()["errors"]


def test_the_faq_items_have_no_asker(tree):
    make_published_question(tree)

    items = api_client(tree.users["member_a1"]).get("/api/questions/faq").json()["items"]

    assert len(items) == 1
    assert set(items[0]) == {"id", "unit_code", "unit_name", "question", "answer", "published_at"}
    assert "Nguyễn Văn An" not in str(items)


def test_a_sibling_commune_gets_404_on_a_question(tree):
    question = make_question(tree)

    response = api_client(tree.users["officer_b"]).post(
        f"/api/questions/{question.pk}/answer", {"answer": "x"}, content_type="application/json"
    )

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.state == QuestionState.OPEN


def test_the_queue_counts_and_pages(tree):
    for number in range(3):
        make_question(tree, text=f"Q{number}")

    body = api_client(tree.users["officer_a"]).get("/api/questions/queue?limit=2").json()

    assert body["count"] == 3
    assert [item["text"] for item in body["items"]] == ["Q0", "Q1"]
