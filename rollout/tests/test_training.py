"""Trainings for those who install and operate the app: recorded by a unit, counted for its subtree."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from common.tests.api import api_client
from rollout.models import TrainingSession
from rollout.selectors import training_totals
from rollout.services import training_record

TRAINING = {
    "place": "Hội trường Đảng ủy xã A",
    "topic": "Cài đặt và sử dụng Sổ tay đảng viên điện tử",
    "trainer": "Văn phòng Đảng ủy xã",
    "trainees": "Bí thư chi bộ và tổ hỗ trợ",
}


def signed_in(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def record(tree, *, unit=None, actor=None, held_on=datetime.date(2026, 11, 20), count=25):
    return training_record(
        actor=actor or tree.users["officer_a"],
        unit=unit or tree.commune_a,
        held_on=held_on,
        trainee_count=count,
        **TRAINING,
    )


def test_trainings_below_count_for_the_unit_above_and_not_for_a_sibling(tree):
    record(tree, count=25)
    record(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"], count=8)

    assert training_totals(unit=tree.commune_a) == training_totals(unit=tree.province)
    assert (training_totals(unit=tree.commune_a).sessions, training_totals(unit=tree.commune_a).trained) == (2, 33)
    assert training_totals(unit=tree.cell_a1).trained == 8
    assert training_totals(unit=tree.commune_b).sessions == 0


def test_a_training_in_the_future_or_for_nobody_is_refused(tree):
    with pytest.raises(ValidationError) as future:
        record(tree, held_on=datetime.date(2026, 12, 3))  # the clock is pinned at 2 December 2026
    assert "held_on" in future.value.message_dict
    with pytest.raises(ValidationError):
        record(tree, count=0)
    assert not TrainingSession.objects.exists()


def test_an_officer_records_a_training_from_the_page_and_the_figures_count_it(tree):
    officer = signed_in(tree.users["officer_a"])

    response = officer.post(
        reverse("rollout:training", args=["XA"]), {**TRAINING, "held_on": "20/11/2026", "trainee_count": 25}
    )

    assert response.status_code == 302
    assert TrainingSession.objects.get().trainee_count == 25
    page = officer.get(reverse("rollout:training", args=["XA"])).content.decode()
    assert "Văn phòng Đảng ủy xã trained Bí thư chi bộ và tổ hỗ trợ (25)" in page
    assert "1 training (25 trained)" in officer.get(reverse("rollout:dashboard", args=["XA"])).content.decode()


def test_a_viewer_sees_the_trainings_but_records_none_and_a_sibling_sees_nothing(tree):
    record(tree)
    viewer = signed_in(tree.users["province_viewer"])

    assert "Cài đặt và sử dụng" in viewer.get(reverse("rollout:training", args=["XA"])).content.decode()
    assert viewer.post(reverse("rollout:training", args=["XA"]), TRAINING).status_code == 403
    assert signed_in(tree.users["officer_b"]).get(reverse("rollout:training", args=["XA"])).status_code == 404
    assert TrainingSession.objects.count() == 1


def test_the_api_lists_and_records_trainings(tree):
    officer = api_client(tree.users["officer_a"])

    created = officer.post(
        "/api/rollout/units/XA/training",
        {**TRAINING, "held_on": "2026-11-20", "trainee_count": 25},
        content_type="application/json",
    )
    listed = api_client(tree.users["province_viewer"]).get("/api/rollout/units/XA/training").json()

    assert created.status_code == 201, created.content
    assert (listed["sessions"], listed["trained"], listed["count"]) == (1, 25, 1)
    assert listed["items"][0]["trainer"] == "Văn phòng Đảng ủy xã"
    refused = api_client(tree.users["officer_b"]).post(
        "/api/rollout/units/XA/training",
        {**TRAINING, "held_on": "2026-11-20", "trainee_count": 25},
        content_type="application/json",
    )
    assert refused.status_code == 404
