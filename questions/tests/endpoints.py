"""The questions pages and API operations, for the permission matrix (common/tests/matrix.py).

Everything acts on a question of member A1 to their cell XA-C1 (commune A). Answering needs
`question.answer`: the role on the province that must reach them is a committee officer or admin.
"""

from django.urls import reverse

from accounts.choices import RoleKind
from common.tests.matrix import LIST, READ, WRITE, api, page

QUEUED_TEXT = "Câu hỏi chờ trả lời của thôn 1"
PUBLISHED_TEXT = "Câu hỏi đã xuất bản của xã A"


def with_question(tree):
    from .factories import make_question

    return {"question": make_question(tree, text=QUEUED_TEXT)}


def with_answered_question(tree):
    from .factories import make_answered_question

    return {"question": make_answered_question(tree)}


def with_published_question(tree):
    from questions.services import question_publish

    from .factories import make_answered_question

    question = make_answered_question(tree, addressee="commune", answerer="officer_a")
    question_publish(
        actor=tree.users["officer_a"], question=question, faq_question=PUBLISHED_TEXT, faq_answer="Trả lời."
    )
    return {"question": question}


OFFICER = RoleKind.COMMITTEE_OFFICER
PUBLISH = {"faq_question": "Đảng phí đóng thế nào?", "faq_answer": "Hằng tháng."}

ENDPOINTS = [
    page(
        "questions:queue",
        LIST,
        "get",
        lambda c: reverse("questions:queue"),
        prepare=with_question,
        hidden_text=QUEUED_TEXT,
        ancestor_role=OFFICER,
    ),
    page(
        "questions:faq",
        LIST,
        "get",
        lambda c: reverse("questions:faq"),
        prepare=with_published_question,
        hidden_text=PUBLISHED_TEXT,
    ),
    page(
        "questions:detail",
        READ,
        "get",
        lambda c: reverse("questions:detail", args=[c.question.pk]),
        prepare=with_question,
        ancestor_role=OFFICER,
    ),
    page(
        "questions:answer",
        WRITE,
        "post",
        lambda c: reverse("questions:answer", args=[c.question.pk]),
        lambda c: {"answer": "Hằng tháng."},
        prepare=with_question,
    ),
    page(
        "questions:publish",
        WRITE,
        "post",
        lambda c: reverse("questions:publish", args=[c.question.pk]),
        lambda c: PUBLISH,
        prepare=with_answered_question,
    ),
    page(
        "questions:close",
        WRITE,
        "post",
        lambda c: reverse("questions:close", args=[c.question.pk]),
        prepare=with_question,
    ),
    api(
        "get",
        "/questions/queue",
        LIST,
        lambda c: "/api/questions/queue",
        prepare=with_question,
        hidden_text=QUEUED_TEXT,
        ancestor_role=OFFICER,
    ),
    api(
        "get",
        "/questions/faq",
        LIST,
        lambda c: "/api/questions/faq",
        prepare=with_published_question,
        hidden_text=PUBLISHED_TEXT,
    ),
    api(
        "get",
        "/questions/{question_id}",
        READ,
        lambda c: f"/api/questions/{c.question.pk}",
        prepare=with_question,
        ancestor_role=OFFICER,
    ),
    api(
        "post",
        "/questions/{question_id}/answer",
        WRITE,
        lambda c: f"/api/questions/{c.question.pk}/answer",
        lambda c: {"answer": "Hằng tháng."},
        prepare=with_question,
    ),
    api(
        "post",
        "/questions/{question_id}/publish",
        WRITE,
        lambda c: f"/api/questions/{c.question.pk}/publish",
        lambda c: PUBLISH,
        prepare=with_answered_question,
    ),
    api(
        "post",
        "/questions/{question_id}/close",
        WRITE,
        lambda c: f"/api/questions/{c.question.pk}/close",
        prepare=with_question,
    ),
]

# A member's own questions: asking and reading what they asked.
SIGNED_IN_ONLY = ["questions:ask", "questions:mine", "post /api/questions", "get /api/questions/mine"]
