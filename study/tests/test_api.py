"""Study over the API: a member studies and answers, the committee assigns and reads its figures."""

import json

from common.tests.api import api_client
from study.choices import TEXT_STEP
from study.models import StudyAssignment, StudyProgress

from .factories import FIRST_DAY, LAST_DAY, assign, right_answers


def _post(client, url, body):

    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_member_reads_the_assignment_without_the_answers_key(tree):
    assignment = assign(tree)

    body = api_client(tree.users["member_a1"]).get(f"/api/study/{assignment.pk}").json()

    assert body["state"] == "not_started"
    assert [step["key"] for step in body["steps"]] == [TEXT_STEP]
    assert len(body["questions"]) == 4
    assert "right" not in str(body["questions"]) and "correct" not in str(body["questions"])


def test_the_member_ticks_a_part_and_answers_the_quiz(tree):
    assignment = assign(tree)
    member = api_client(tree.users["member_a1"])

    studied = _post(member, "/api/study/steps", {"assignment_id": assignment.pk, "step": TEXT_STEP})
    failed = _post(
        member,
        "/api/study/attempts",
        {"assignment_id": assignment.pk, "answers": {str(k): v for k, v in right_answers(assignment, wrong=3).items()}},
    )
    passed = _post(
        member,
        "/api/study/attempts",
        {"assignment_id": assignment.pk, "answers": {str(k): v for k, v in right_answers(assignment).items()}},
    )

    assert studied.status_code == 200 and studied.json()["state"] == "studied"
    assert failed.status_code == 201
    assert (failed.json()["score"], failed.json()["passed"], failed.json()["attempts_left"]) == (25, False, 1)
    assert all(item["right_choice_ids"] == [] for item in failed.json()["review"])  # the key is not given away
    assert passed.json()["passed"] is True
    assert all(item["right_choice_ids"] for item in passed.json()["review"])
    again = _post(
        member,
        "/api/study/attempts",
        {"assignment_id": assignment.pk, "answers": {str(k): v for k, v in right_answers(assignment).items()}},
    )
    assert again.status_code == 422
    assert "passed" in again.json()["detail"]


def test_an_official_without_a_record_cannot_answer(tree):
    assignment = assign(tree)

    response = _post(
        api_client(tree.users["officer_a"]),
        "/api/study/attempts",
        {"assignment_id": assignment.pk, "answers": {str(k): v for k, v in right_answers(assignment).items()}},
    )

    assert response.status_code == 403
    assert not StudyProgress.objects.exists()


def test_the_committee_assigns_and_writes_a_question_and_reads_the_figures(tree):
    officer = api_client(tree.users["officer_a"])

    created = _post(
        officer,
        "/api/study",
        {
            "unit_code": "XA",
            "kind": "topic",
            "title": "Chuyên đề tháng 12",
            "text": "Nội dung",
            "starts_on": FIRST_DAY.isoformat(),
            "ends_on": LAST_DAY.isoformat(),
        },
    )
    assignment_id = created.json()["id"]
    question = _post(
        officer,
        f"/api/study/{assignment_id}/questions",
        {"text": "Chi bộ họp mấy lần một tháng?", "answers": ["Một", "Hai"], "right": [1]},
    )
    figures = officer.get(f"/api/study/{assignment_id}/figures").json()
    waiting = officer.get(f"/api/study/{assignment_id}/members?state=not_started&limit=1").json()

    assert created.status_code == 201 and question.status_code == 201
    assert StudyAssignment.objects.get(pk=assignment_id).questions.count() == 1
    assert figures["total"]["members"] == 2 and figures["total"]["studied"] == 0
    assert {row["unit_code"] for row in figures["children"]} == {"XA-C1", "XA-C2"}
    assert waiting["total"] == 2 and len(waiting["items"]) == 1


def test_a_refused_assignment_names_its_fields_as_the_api_takes_them(tree):
    response = _post(
        api_client(tree.users["officer_a"]),
        "/api/study",
        {
            "unit_code": "XA",
            "kind": "topic",
            "title": "Chuyên đề",
            "starts_on": LAST_DAY.isoformat(),
            "ends_on": FIRST_DAY.isoformat(),
        },
    )

    assert response.status_code == 422
    assert {"text", "ends_on"} <= set(response.json()["errors"])
    assert not StudyAssignment.objects.exists()


def test_the_secretary_marks_over_the_api(tree):
    assignment = assign(tree)

    response = _post(
        api_client(tree.users["secretary_a1"]), f"/api/study/{assignment.pk}/marks", {"member_ids": [tree.member_a1.pk]}
    )

    assert response.json() == {"marked": 1}
    assert StudyProgress.objects.get().studied_at is not None
