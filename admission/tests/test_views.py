"""The admission pages and API: the secretary's file and vote, the committee's decision, the member's own view and
the late list."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from admission.choices import ProbationStage
from admission.models import ProbationCase
from common.tests.api import api_client
from common.tests.clock import TODAY, at
from members.choices import Standing

from .factories import FILE, make_probationary, open_case, voted_case

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages in the source strings (conftest's `client`)
    client.force_login(user)
    return client


def dated(data: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()}


def test_the_secretary_and_the_committee_walk_a_member_to_official_on_the_pages(tree):
    # Given a probationary member whose case opens when the secretary first looks at the list
    member = make_probationary(tree)
    secretary = client_of(tree.users["secretary_a1"])
    listing = secretary.get("/admission/").content.decode()
    case = ProbationCase.objects.get(member=member)
    assert f"/admission/probation/{case.pk}/" in listing and member.full_name in listing

    # When the secretary records the file and the vote, and the commune's officer decides
    assert 'name="application"' in secretary.get(f"/admission/probation/{case.pk}/").content.decode()
    response = secretary.post(f"/admission/probation/{case.pk}/file/", dated(FILE))
    assert response.status_code == 302
    response = secretary.post(
        f"/admission/probation/{case.pk}/vote/", {"votes_for": "4", "voters": "5", "voted_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    officer = client_of(tree.users["officer_a"])
    assert 'name="outcome"' in officer.get(f"/admission/probation/{case.pk}/").content.decode()
    response = officer.post(
        f"/admission/probation/{case.pk}/decide/",
        {"outcome": "official", "decided_on": TODAY.isoformat(), "decision_number": "15-QĐ/ĐU"},
    )

    # Then the member is official
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.standing, member.official_on) == (Standing.OFFICIAL, TODAY)


def test_the_secretary_cannot_decide_and_sees_no_decision_form(tree):
    case = voted_case(tree)
    secretary = client_of(tree.users["secretary_a1"])

    assert 'name="outcome"' not in secretary.get(f"/admission/probation/{case.pk}/").content.decode()
    response = secretary.post(
        f"/admission/probation/{case.pk}/decide/", {"outcome": "official", "decided_on": TODAY.isoformat()}
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.stage == ProbationStage.CELL_VOTED


def test_a_vote_without_a_majority_is_refused_on_the_page(tree):
    case = open_case(tree)
    secretary = client_of(tree.users["secretary_a1"])
    secretary.post(f"/admission/probation/{case.pk}/file/", dated(FILE))

    response = secretary.post(
        f"/admission/probation/{case.pk}/vote/", {"votes_for": "3", "voters": "6", "voted_on": TODAY.isoformat()}
    )

    assert response.status_code == 400 and "half" in response.content.decode()


def test_the_member_sees_their_own_probation_without_the_forms(tree):
    member = make_probationary(tree)
    own = client_of(User.objects.get(member=member))

    listing = own.get("/admission/").content.decode()
    case = ProbationCase.objects.get(member=member)
    page = own.get(f"/admission/probation/{case.pk}/").content.decode()

    assert f"/admission/probation/{case.pk}/" in listing
    assert "09/12/2026" in page and 'name="application"' not in page and 'name="outcome"' not in page
    # Another member's probation does not exist for them
    other = open_case(tree, full_name="Hoàng Văn Khác", unit=tree.cell_a2)
    assert own.get(f"/admission/probation/{other.pk}/").status_code == 404


def test_the_late_list_waits_for_the_working_day_after_a_holiday(tree, pinned_clock):
    from common.models import PublicHoliday

    PublicHoliday.objects.get_or_create(day=datetime.date(2027, 1, 1), defaults={"name": "Tết Dương lịch"})
    member = make_probationary(tree, joined_on=datetime.date(2026, 1, 1))

    # (signed in after each move: a month later the session would have expired)
    pinned_clock.move_to(at(datetime.date(2027, 1, 4)))
    page = client_of(tree.users["officer_a"]).get("/admission/late/")
    assert page.status_code == 200 and member.full_name not in page.content.decode()

    pinned_clock.move_to(at(datetime.date(2027, 1, 5)))
    officer = client_of(tree.users["officer_a"])
    assert member.full_name in officer.get("/admission/late/").content.decode()
    assert member.full_name in officer.get("/admission/late/?unit=XA-C1").content.decode()
    assert member.full_name not in officer.get("/admission/late/?unit=XA-C2").content.decode()
    assert officer.get("/admission/late/?unit=XB").status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    for number in range(6):
        make_probationary(tree, full_name=f"Dự Bị {number}", with_account=False)
    officer = client_of(tree.users["officer_a"])
    officer.get("/admission/")  # opens the cases

    with django_assert_max_num_queries(20):
        response = officer.get("/admission/")
    assert response.content.decode().count("/admission/probation/") == 6


def test_the_committee_decides_over_the_api(tree):
    case = voted_case(tree)
    client = api_client(tree.users["officer_a"])

    listed = client.get("/api/admission/probation").json()
    response = client.post(
        f"/api/admission/probation/{case.pk}/decide",
        data={"outcome": "official", "decided_on": TODAY.isoformat(), "decision_number": "3-QĐ/ĐU"},
        content_type="application/json",
    )

    assert [row["id"] for row in listed] == [case.pk]
    assert response.status_code == 200 and response.json()["stage"] == "official"
    case.member.refresh_from_db()
    assert case.member.standing == Standing.OFFICIAL


def test_an_extension_beyond_twelve_months_is_refused_over_the_api(tree):
    case = voted_case(tree)
    response = api_client(tree.users["officer_a"]).post(
        f"/api/admission/probation/{case.pk}/decide",
        data={"outcome": "extend", "decided_on": TODAY.isoformat(), "reason": "x", "extended_to": "2028-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "extended_to" in response.json()["errors"]


def test_the_late_list_and_its_api_read_the_holidays_once_whatever_the_number_of_late_cases(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer, api = client_of(tree.users["officer_a"]), api_client(tree.users["officer_a"])

    def queries(path: str, client) -> int:
        client.get(path)  # opens the cases
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    make_probationary(tree, joined_on=datetime.date(2025, 1, 2), full_name="Trễ Hạn Một", with_account=False)
    one = (queries("/admission/late/", officer), queries("/api/admission/probation?late=true", api))
    for number in range(5):
        make_probationary(tree, joined_on=datetime.date(2025, 1, 2), full_name=f"Trễ Hạn {number}", with_account=False)
    six = (queries("/admission/late/", officer), queries("/api/admission/probation?late=true", api))

    assert six == one
