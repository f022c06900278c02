"""The admission pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import datetime

from admission.choices import ProbationOutcome
from common.tests.clock import TODAY
from common.tests.matrix import LIST, READ, WRITE, api, page

from .factories import CANDIDATE, FILE, candidate_at, filed_case, open_case, voted_case

NAME = "Phạm Thị Dự Bị"
# Probation ended on Friday 20 November 2026: late on the pinned day.
LATE_JOINED = datetime.date(2025, 11, 20)


def with_case(tree) -> dict:
    return {"case": open_case(tree, joined_on=LATE_JOINED)}


def with_file(tree) -> dict:
    return {"case": filed_case(tree, joined_on=LATE_JOINED)}


def with_vote(tree) -> dict:
    return {"case": voted_case(tree, joined_on=LATE_JOINED)}


def case_url(suffix: str = "", prefix: str = "/admission/probation"):
    return lambda ctx: f"{prefix}/{ctx.case.pk}/{suffix}"


def file_form(ctx) -> dict:
    return {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in FILE.items()}


def vote_form(ctx) -> dict:
    return {"votes_for": "5", "voters": "6", "voted_on": TODAY.isoformat()}


def decision_form(ctx) -> dict:
    return {"outcome": ProbationOutcome.OFFICIAL, "decided_on": TODAY.isoformat(), "decision_number": "7-QĐ/ĐU"}


def with_candidate(stage: str):
    return lambda tree: {"candidate": candidate_at(tree, stage)}


def candidate_url(suffix: str = ""):
    return lambda ctx: f"/admission/candidates/{ctx.candidate.pk}/{suffix}"


def candidate_form(ctx) -> dict:
    return {**CANDIDATE, "unit": ctx.cell_a1.code, "date_of_birth": CANDIDATE["date_of_birth"].isoformat()}


CANDIDATE_STEPS = [
    ("training", "proposed", lambda ctx: {"training_course": "Lớp cảm tình Đảng", "certificate_on": TODAY.isoformat()}),
    (
        "verification",
        "trained",
        lambda ctx: {"background_check": "Lý lịch rõ ràng.", "background_checked_on": TODAY.isoformat()},
    ),
    (
        "introducers",
        "verified",
        lambda ctx: {"introducer_1": ctx.member_a1.pk, "introducer_2": ctx.second_introducer.pk},
    ),
    ("vote", "introduced", lambda ctx: {"votes_for": "5", "voters": "6", "voted_on": TODAY.isoformat()}),
    ("admit", "cell_voted", lambda ctx: {"admitted_on": TODAY.isoformat(), "decision_number": "3-QĐ/ĐU"}),
    ("drop", "trained", lambda ctx: {"reason": "Chuyển đi nơi khác"}),
]


def with_candidate_for_introducers(tree) -> dict:
    from members.tests.factories import make_member

    return {
        "candidate": candidate_at(tree, "verified"),
        "second_introducer": make_member(unit=tree.cell_a1, full_name="Vũ Văn Giới Thiệu"),
    }


def _step_prepare(step: str, stage: str):
    return with_candidate_for_introducers if step == "introducers" else with_candidate(stage)


ENDPOINTS = [
    page("admission:late", LIST, "get", lambda ctx: "/admission/late/", prepare=with_case, hidden_text=NAME),
    page("admission:case", READ, "get", case_url(), prepare=with_case),
    page("admission:file", WRITE, "post", case_url("file/"), file_form, prepare=with_case),
    page("admission:vote", WRITE, "post", case_url("vote/"), vote_form, prepare=with_file),
    page("admission:decide", WRITE, "post", case_url("decide/"), decision_form, prepare=with_vote),
    api(
        "get", "/admission/probation", LIST, lambda ctx: "/api/admission/probation", prepare=with_case, hidden_text=NAME
    ),
    api(
        "get",
        "/admission/probation/{case_id}",
        READ,
        lambda ctx: f"/api/admission/probation/{ctx.case.pk}",
        prepare=with_case,
    ),
    api(
        "post",
        "/admission/probation/{case_id}/file",
        WRITE,
        lambda ctx: f"/api/admission/probation/{ctx.case.pk}/file",
        file_form,
        prepare=with_case,
    ),
    api(
        "post",
        "/admission/probation/{case_id}/cell-vote",
        WRITE,
        lambda ctx: f"/api/admission/probation/{ctx.case.pk}/cell-vote",
        lambda ctx: {"votes_for": 5, "voters": 6, "voted_on": TODAY.isoformat()},
        prepare=with_file,
    ),
    api(
        "post",
        "/admission/probation/{case_id}/decide",
        WRITE,
        lambda ctx: f"/api/admission/probation/{ctx.case.pk}/decide",
        lambda ctx: {"outcome": "official", "decided_on": TODAY.isoformat()},
        prepare=with_vote,
    ),
]
ENDPOINTS += [
    page(
        "admission:candidates",
        LIST,
        "get",
        lambda ctx: "/admission/candidates/",
        prepare=with_candidate("proposed"),
        hidden_text=CANDIDATE["full_name"],
    ),
    page(
        "admission:candidate_new",
        WRITE,
        "post",
        lambda ctx: "/admission/candidates/new/",
        candidate_form,
        hidden_text="Chi bộ thôn 1",
    ),
    page("admission:candidate", READ, "get", candidate_url(), prepare=with_candidate("proposed")),
    page(
        "admission:candidate_docx",
        READ,
        "get",
        candidate_url("decision.docx"),
        prepare=with_candidate("admitted"),
    ),
    *[
        page(
            f"admission:candidate_{step}",
            WRITE,
            "post",
            candidate_url(f"{step}/"),
            data,
            prepare=_step_prepare(step, stage),
        )
        for step, stage, data in CANDIDATE_STEPS
    ],
    api(
        "get",
        "/admission/candidates",
        LIST,
        lambda ctx: "/api/admission/candidates",
        prepare=with_candidate("proposed"),
        hidden_text=CANDIDATE["full_name"],
    ),
    api(
        "get",
        "/admission/candidates/{candidate_id}",
        READ,
        lambda ctx: f"/api/admission/candidates/{ctx.candidate.pk}",
        prepare=with_candidate("proposed"),
    ),
]
# The same steps over the API: its own field names (introducers by id, the cell by code, typed values).
CANDIDATE_API_STEPS = [
    ("training", "proposed", lambda ctx: {"training_course": "Lớp cảm tình Đảng", "certificate_on": TODAY.isoformat()}),
    (
        "verification",
        "trained",
        lambda ctx: {"background_check": "Lý lịch rõ ràng.", "background_checked_on": TODAY.isoformat()},
    ),
    (
        "introducers",
        "verified",
        lambda ctx: {"introducer_1_id": ctx.member_a1.pk, "introducer_2_id": ctx.second_introducer.pk},
    ),
    ("cell-vote", "introduced", lambda ctx: {"votes_for": 5, "voters": 6, "voted_on": TODAY.isoformat()}),
    ("admit", "cell_voted", lambda ctx: {"admitted_on": TODAY.isoformat(), "decision_number": "3-QĐ/ĐU"}),
    ("drop", "trained", lambda ctx: {"reason": "Chuyển đi nơi khác"}),
]
ENDPOINTS += [
    api(
        "post",
        "/admission/candidates",
        WRITE,
        lambda ctx: "/api/admission/candidates",
        lambda ctx: {
            **CANDIDATE,
            "unit_code": ctx.cell_a1.code,
            "date_of_birth": CANDIDATE["date_of_birth"].isoformat(),
        },
        hidden_text="Chi bộ thôn 1",
    ),
    *[
        api(
            "post",
            f"/admission/candidates/{{candidate_id}}/{step}",
            WRITE,
            lambda ctx, step=step: f"/api/admission/candidates/{ctx.candidate.pk}/{step}",
            data,
            prepare=_step_prepare(step, stage),
        )
        for step, stage, data in CANDIDATE_API_STEPS
    ],
]


def with_decision(tree) -> dict:
    from admission.services import probation_decide

    case = voted_case(tree, joined_on=LATE_JOINED)
    return {
        "case": probation_decide(
            actor=tree.users["officer_a"], case=case, outcome=ProbationOutcome.OFFICIAL, decided_on=TODAY
        )
    }


# The forms (mẫu KNĐ) as DOCX, once the file holds what each needs.
ENDPOINTS += [
    page("admission:case_cell_resolution", READ, "get", case_url("cell-resolution.docx"), prepare=with_vote),
    page("admission:case_decision", READ, "get", case_url("decision.docx"), prepare=with_decision),
    page(
        "admission:candidate_introduction_1",
        READ,
        "get",
        candidate_url("introduction-1.docx"),
        prepare=with_candidate("introduced"),
    ),
    page(
        "admission:candidate_introduction_2",
        READ,
        "get",
        candidate_url("introduction-2.docx"),
        prepare=with_candidate("introduced"),
    ),
    page(
        "admission:candidate_cell_resolution",
        READ,
        "get",
        candidate_url("cell-resolution.docx"),
        prepare=with_candidate("cell_voted"),
    ),
]
# The member's own probation and the lists of the user's own scope (opened lazily): tests/test_views.py.
SIGNED_IN_ONLY = ["admission:index"]
