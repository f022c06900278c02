"""Study's pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import RoleKind
from common.tests.matrix import LIST, READ, WRITE, api, page

from .factories import FIRST_DAY, LAST_DAY, assign

TITLE = "Học tập Nghị quyết Đại hội XIV của xã A"


def with_assignment(tree) -> dict:
    return {"assignment": assign(tree, title=TITLE)}


def with_open_quiz(tree) -> dict:
    """An assignment nobody has answered yet: its questions may still change."""
    assignment = assign(tree, title=TITLE)
    return {"assignment": assignment, "question": assignment.questions.first()}


def at(name):
    return lambda c: reverse(name, args=[c.assignment.pk])


def questions_file(c) -> dict:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Câu hỏi", "A", "B", "Đáp án"])
    book.active.append(["Chi bộ họp mấy lần một tháng?", "Một", "Hai", "A"])
    content = io.BytesIO()
    book.save(content)
    return {"file": SimpleUploadedFile("cau-hoi.xlsx", content.getvalue())}


NEW = {
    "kind": "topic",
    "title": "Chuyên đề tháng",
    "text": "Nội dung",
    "starts_on": FIRST_DAY.isoformat(),
    "ends_on": LAST_DAY.isoformat(),
    "pass_mark": 80,
    "max_attempts": 3,
}
QUESTION = {"text": "Chi bộ họp mấy lần một tháng?", "answer_A": "Một", "right_A": "on", "answer_B": "Hai"}
MANAGE = {"ancestor_role": RoleKind.COMMITTEE_ADMIN}

ENDPOINTS = [
    page("study:index", LIST, "get", lambda c: reverse("study:index"), prepare=with_assignment, hidden_text=TITLE),
    page(
        "study:new",
        WRITE,
        "post",
        lambda c: reverse("study:new"),
        lambda c: {**NEW, "unit": c.commune_a.code},
        hidden_text="Đảng bộ xã A",
    ),
    page("study:assignment", READ, "get", at("study:assignment"), prepare=with_assignment),
    page("study:quiz", READ, "get", at("study:quiz"), prepare=with_assignment),
    page("study:questions", READ, "get", at("study:questions"), prepare=with_assignment, **MANAGE),
    page("study:questions_import", WRITE, "post", at("study:questions_import"), questions_file, prepare=with_open_quiz),
    page(
        "study:question_remove",
        WRITE,
        "post",
        at("study:question_remove"),
        lambda c: {"question": c.question.pk},
        prepare=with_open_quiz,
    ),
    page(
        "study:extend",
        WRITE,
        "post",
        at("study:extend"),
        lambda c: {"ends_on": LAST_DAY.isoformat()},
        prepare=with_assignment,
    ),
    page(
        "study:withdraw",
        WRITE,
        "post",
        at("study:withdraw"),
        lambda c: {"reason": "Trùng đợt"},
        prepare=with_assignment,
    ),
    page("study:figures", READ, "get", at("study:figures"), prepare=with_assignment),
    page("study:members", READ, "get", at("study:members"), prepare=with_assignment),
    page("study:mark", WRITE, "post", at("study:mark"), lambda c: {"member": c.member_a1.pk}, prepare=with_assignment),
    page("study:export", READ, "get", at("study:export"), prepare=with_assignment),
    api("get", "/study", LIST, lambda c: "/api/study", prepare=with_assignment, hidden_text=TITLE),
    api(
        "post",
        "/study",
        WRITE,
        lambda c: "/api/study",
        lambda c: {**NEW, "unit_code": c.commune_a.code},
    ),
    api("get", "/study/{assignment_id}", READ, lambda c: f"/api/study/{c.assignment.pk}", prepare=with_assignment),
    api(
        "post",
        "/study/{assignment_id}/questions",
        WRITE,
        lambda c: f"/api/study/{c.assignment.pk}/questions",
        lambda c: {"text": "Câu hỏi?", "answers": ["Một", "Hai"], "right": [1]},
        prepare=with_open_quiz,
    ),
    api(
        "get",
        "/study/{assignment_id}/figures",
        READ,
        lambda c: f"/api/study/{c.assignment.pk}/figures",
        prepare=with_assignment,
    ),
    api(
        "get",
        "/study/{assignment_id}/members",
        READ,
        lambda c: f"/api/study/{c.assignment.pk}/members",
        prepare=with_assignment,
    ),
    api(
        "post",
        "/study/{assignment_id}/marks",
        WRITE,
        lambda c: f"/api/study/{c.assignment.pk}/marks",
        lambda c: {"member_ids": [c.member_a1.pk]},
        prepare=with_assignment,
    ),
]
# The member's own study: the assignment is named in the body, and whose progress it is comes from the user
# (tests/test_views.py, tests/test_api.py); the example file is the same for everyone.
SIGNED_IN_ONLY = ["study:step_done", "study:questions_sample", "post /api/study/steps", "post /api/study/attempts"]
