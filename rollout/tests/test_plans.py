"""Rollout plans: recorded by a unit, in force for its subtree, and the figures' progress against them."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.api import api_client
from rollout.models import RolloutPlan
from rollout.selectors import Figures, plan_in_force, plan_progress
from rollout.services import plan_create

ISSUED, DEADLINE = datetime.date(2026, 11, 1), datetime.date(2026, 12, 31)  # 60 days


def signed_in(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def make_plan(tree, *, unit=None, number="25-KH/ĐU", issued_on=ISSUED, target=90, deadline=DEADLINE, actor=None):
    return plan_create(
        actor=actor or tree.users["officer_a"],
        unit=unit or tree.commune_a,
        number=number,
        issued_on=issued_on,
        title="Kế hoạch hỗ trợ đảng viên cài đặt Sổ tay đảng viên điện tử",
        target_percent=target,
        deadline=deadline,
    )


def progress_of(tree, *, activated: int, eligible: int = 100, today: datetime.date):
    figures = Figures(unit=tree.commune_a, members=eligible, eligible=eligible, activated=activated)
    return plan_progress(unit=tree.commune_a, figures=figures, today=today)


@pytest.mark.parametrize(
    ("activated", "today", "status", "expected"),
    [
        (50, datetime.date(2026, 12, 1), "on_track", Decimal("45.0")),  # half-way: 45% expected
        (40, datetime.date(2026, 12, 1), "behind", Decimal("45.0")),
        (90, datetime.date(2026, 12, 1), "met", Decimal("45.0")),
        (80, datetime.date(2027, 1, 5), "missed", Decimal("90.0")),
        (95, datetime.date(2027, 1, 5), "met", Decimal("90.0")),
    ],
)
def test_progress_against_the_plan(tree, activated, today, status, expected):
    make_plan(tree)

    progress = progress_of(tree, activated=activated, today=today)

    assert (progress.status, progress.expected) == (status, expected)
    assert progress.days_left == max((DEADLINE - today).days, 0)


def test_the_plan_of_the_nearest_unit_is_in_force_and_a_later_plan_replaces_an_earlier_one(tree):
    province_admin = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="admin_hn")
    province_plan = make_plan(
        tree, unit=tree.province, number="117-KH/TU", issued_on=datetime.date(2026, 10, 1), actor=province_admin
    )
    assert plan_in_force(unit=tree.cell_a1, today=datetime.date(2026, 12, 2)) == province_plan

    commune_plan = make_plan(tree)
    later = make_plan(tree, number="30-KH/ĐU", issued_on=datetime.date(2026, 11, 20))

    assert plan_in_force(unit=tree.cell_a1, today=datetime.date(2026, 11, 10)) == commune_plan
    assert plan_in_force(unit=tree.cell_a1, today=datetime.date(2026, 12, 2)) == later
    assert plan_in_force(unit=tree.commune_b, today=datetime.date(2026, 12, 2)) == province_plan
    assert plan_in_force(unit=tree.central, today=datetime.date(2026, 12, 2)) is None


def test_a_plan_whose_deadline_is_not_after_its_day_or_whose_number_is_taken_is_refused(tree):
    with pytest.raises(ValidationError) as refused:
        make_plan(tree, deadline=ISSUED)
    assert "deadline" in refused.value.message_dict

    make_plan(tree)
    with pytest.raises(ValidationError) as twice:
        make_plan(tree)
    assert "number" in twice.value.message_dict
    assert RolloutPlan.objects.count() == 1


def test_an_officer_records_a_plan_and_the_cells_below_show_their_progress_against_it(tree):
    officer = signed_in(tree.users["officer_a"])

    response = officer.post(
        reverse("rollout:plans", args=["XA"]),
        {
            "number": "25-KH/ĐU",
            "issued_on": "01/11/2026",
            "title": "Kế hoạch hỗ trợ cài đặt",
            "target_percent": 100,
            "deadline": "31/12/2026",
        },
    )

    assert response.status_code == 302
    assert RolloutPlan.objects.get().unit == tree.commune_a
    cell_page = officer.get(reverse("rollout:dashboard", args=["XA-C1"])).content.decode()
    assert "Plan 25-KH/ĐU of 01/11/2026" in cell_page
    assert "Target: 100% of eligible members activated by 31/12/2026." in cell_page
    assert "29 days left." in cell_page  # the clock is pinned at 2 December 2026


def test_the_form_says_what_is_wrong_in_vietnamese(tree):
    client = signed_in(tree.users["officer_a"])
    client.cookies["django_language"] = "vi"

    response = client.post(
        reverse("rollout:plans", args=["XA"]),
        {"number": "25", "issued_on": "01/12/2026", "title": "KH", "target_percent": 100, "deadline": "01/11/2026"},
    )

    assert response.status_code == 200
    assert "Hạn hoàn thành phải sau ngày ban hành kế hoạch." in response.content.decode()
    assert not RolloutPlan.objects.exists()


def test_a_viewer_above_sees_the_plans_but_may_not_record_one_and_a_sibling_sees_nothing(tree):
    make_plan(tree)
    viewer = signed_in(tree.users["province_viewer"])

    page = viewer.get(reverse("rollout:plans", args=["XA"]))
    assert page.status_code == 200 and "25-KH/ĐU" in page.content.decode()
    assert 'name="number"' not in page.content.decode()
    refused = viewer.post(reverse("rollout:plans", args=["XA"]), {"number": "26-KH/ĐU"})
    assert refused.status_code == 403
    assert signed_in(tree.users["officer_b"]).get(reverse("rollout:plans", args=["XA"])).status_code == 404
    assert RolloutPlan.objects.count() == 1


def test_the_api_reads_and_records_plans(tree):
    officer = api_client(tree.users["officer_a"])

    created = officer.post(
        "/api/rollout/units/XA/plans",
        {
            "number": "25-KH/ĐU",
            "issued_on": "2026-11-01",
            "title": "KH",
            "target_percent": 90,
            "deadline": "2026-12-31",
        },
        content_type="application/json",
    )
    read = api_client(tree.users["secretary_a1"]).get("/api/rollout/units/XA-C1/plans").json()

    assert created.status_code == 201, created.content
    assert read["plans"] == []  # the cell issued none
    assert read["in_force"]["plan"]["number"] == "25-KH/ĐU"
    assert read["in_force"]["status"] in {"on_track", "behind", "met"}
    assert read["in_force"]["days_left"] == 29
    bad = officer.post(
        "/api/rollout/units/XA/plans",
        {"number": "26", "issued_on": "2026-12-01", "title": "KH", "target_percent": 90, "deadline": "2026-11-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert api_client(tree.users["officer_b"]).get("/api/rollout/units/XA/plans").status_code == 404


def test_the_official_report_states_the_progress_against_the_plan_and_the_trainings(tree):
    from rollout.services import training_record

    make_plan(tree, target=90)
    training_record(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        held_on=datetime.date(2026, 11, 20),
        place="Hội trường xã A",
        topic="Cài đặt Sổ tay",
        trainer="Văn phòng Đảng ủy",
        trainees="Bí thư chi bộ",
        trainee_count=25,
    )

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:report_docx", args=["XA"]))

    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)
    assert "So với Kế hoạch số 25-KH/ĐU ngày 01/11/2026 (90% đảng viên đủ điều kiện" in text
    assert (
        "trước ngày 31/12/2026): hiện đạt 0,0%, theo tiến độ đều đến ngày này cần đạt 46,5%; chậm so với kế hoạch."
        in text
    )
    assert "Đã tổ chức 1 buổi tập huấn cho người cài đặt, vận hành ứng dụng; 25 người được tập huấn." in text
