import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.choices import ChangeAction, ChangeSource
from audit.models import ChangeLog
from common.tests.api import api_client
from members.api import PLACE_FIELDS, MemberRecordIn
from members.choices import MemberStatus
from members.fields import EDITABLE_FIELDS
from members.models import Member
from members.tests.factories import make_member, member_data
from orgunits.choices import UnitKind
from orgunits.tests.factories import make_unit


@pytest.fixture(autouse=True)
def english(settings):
    # Requests carry no Accept-Language, so the API answers in LANGUAGE_CODE: make that English too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def member_body(**overrides) -> dict:
    """A valid new member as JSON, placed in cell XA-C1 unless told otherwise."""
    data = member_data(unit=None, **overrides)
    data.pop("unit")
    return {"unit_code": "XA-C1"} | {
        key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()
    }


def names(response) -> list[str]:
    return [item["full_name"] for item in response.json()["items"]]


def registry_state() -> list[tuple]:
    return list(Member.objects.order_by("pk").values_list("pk", "version", "unit_id", "phone", "status"))


def post(user, path: str, body: dict):
    return api_client(user).post(path, body, content_type="application/json")


def patch(user, path: str, body: dict):
    return api_client(user).patch(path, body, content_type="application/json")


# Reading


def test_a_commune_officer_lists_only_the_members_of_their_commune(tree):
    response = api_client(tree.users["officer_b"]).get("/api/members")

    assert response.status_code == 200
    assert names(response) == ["Lê Văn Cường"]


def test_a_province_viewer_lists_the_members_of_both_communes(tree):
    response = api_client(tree.users["province_viewer"]).get("/api/members")

    assert sorted(names(response)) == ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình"]


def test_a_plain_member_lists_no_members(tree):
    response = api_client(tree.users["member_a1"]).get("/api/members")

    assert response.json() == {"count": 0, "count_is_capped": False, "items": []}


def test_a_listed_member_carries_their_cell_and_standing(tree):
    response = api_client(tree.users["officer_b"]).get("/api/members")

    member = tree.member_b1
    assert response.json()["items"] == [
        {
            "id": member.pk,
            "full_name": "Lê Văn Cường",
            "date_of_birth": member.date_of_birth.isoformat(),
            "sex": "male",
            "unit_code": "XB-C1",
            "unit_name": "Chi bộ thôn Đông",
            "status": "active",
            "standing": "official",
            "card_number": member.card_number,
            "is_eligible": True,
        }
    ]


def test_the_member_list_is_filtered_by_unit_code_over_the_units_subtree(tree):
    response = api_client(tree.users["province_viewer"]).get("/api/members", {"unit_code": "XA"})

    assert sorted(names(response)) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_the_member_list_is_searched_by_name_without_diacritics(tree):
    response = api_client(tree.users["officer_a"]).get("/api/members", {"search": "tran thi binh"})

    assert names(response) == ["Trần Thị Bình"]


def test_the_member_list_is_filtered_by_status_and_eligibility(tree):
    make_member(unit=tree.cell_a1, full_name="Đỗ Văn Miễn", status=MemberStatus.EXEMPT)

    response = api_client(tree.users["officer_a"]).get("/api/members", {"status": "exempt", "is_eligible": False})

    assert names(response) == ["Đỗ Văn Miễn"]


def test_a_unit_code_filter_outside_the_callers_scope_is_reported_as_unknown(tree):
    response = api_client(tree.users["officer_b"]).get("/api/members", {"unit_code": "XA"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"unit_code": ["There is no unit with the code “XA”."]}


def test_a_member_outside_the_callers_scope_is_not_found(tree):
    response = api_client(tree.users["officer_b"]).get(f"/api/members/{tree.member_a1.pk}")

    assert response.status_code == 404


def test_a_plain_member_reads_their_own_full_record(tree):
    response = api_client(tree.users["member_a1"]).get(f"/api/members/{tree.member_a1.pk}")

    assert response.status_code == 200
    record = response.json()
    assert (record["citizen_id"], record["unit_code"], record["version"]) == (tree.member_a1.citizen_id, "XA-C1", 1)


def test_a_plain_member_cannot_read_another_members_record(tree):
    response = api_client(tree.users["member_a1"]).get(f"/api/members/{tree.member_a2.pk}")

    assert response.status_code == 404


def test_the_member_list_runs_the_same_queries_for_3_and_for_30_members(tree):
    def queries_to_list(members: int) -> int:
        cell = make_unit(parent=tree.commune_b)
        for _member in range(members):
            make_member(unit=cell)
        client = api_client(make_user(role=RoleKind.CELL_SECRETARY, unit=cell))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/members")
        assert len(response.json()["items"]) == members
        return len(queries)

    assert queries_to_list(3) == queries_to_list(30)


# Writing


def test_the_api_takes_every_field_the_services_let_a_caller_set():
    assert set(MemberRecordIn.model_fields) | set(PLACE_FIELDS) == EDITABLE_FIELDS


def test_an_officer_registers_a_member_and_the_change_is_logged_as_from_the_api(tree):
    response = post(tree.users["officer_a"], "/api/members", member_body(full_name="Phạm Thị Hoa", reason="Kết nạp"))

    assert response.status_code == 201
    member = Member.objects.get(pk=response.json()["id"])
    assert (member.full_name, member.unit) == ("Phạm Thị Hoa", tree.cell_a1)
    entry = ChangeLog.objects.for_object(member).get()
    assert (entry.action, entry.source, entry.actor, entry.reason) == (
        ChangeAction.CREATE,
        ChangeSource.API,
        tree.users["officer_a"],
        "Kết nạp",
    )


def test_a_new_member_is_placed_in_the_village_named_by_its_area_code(tree):
    response = post(tree.users["officer_a"], "/api/members", member_body(residence_area_code="AR-XA-T1"))

    assert response.json()["residence_area_name"] == "Thôn 1"


def test_an_invalid_record_gets_errors_by_field_and_nothing_is_saved(tree):
    before = registry_state()

    response = post(tree.users["officer_a"], "/api/members", member_body(card_number="123"))

    assert response.status_code == 422
    assert response.json()["errors"] == {"card_number": ["A party card number has exactly 8 digits."]}
    assert registry_state() == before


def test_a_record_missing_required_fields_names_each_of_them(tree):
    response = post(tree.users["officer_a"], "/api/members", {"unit_code": "XA-C1"})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"full_name", "sex", "date_of_birth", "joined_on"}


def test_a_member_placed_in_a_committee_is_refused_under_the_unit_code(tree):
    response = post(tree.users["officer_a"], "/api/members", member_body(unit_code="XA"))

    assert response.status_code == 422
    assert response.json()["errors"] == {"unit_code": ["The place of party activity must be a cell."]}


def test_a_cell_outside_the_callers_scope_is_reported_as_unknown_and_nothing_is_saved(tree):
    before = registry_state()

    response = post(tree.users["officer_a"], "/api/members", member_body(unit_code="XB-C1"))

    assert response.status_code == 422
    assert response.json()["errors"] == {"unit_code": ["There is no unit with the code “XB-C1”."]}
    assert registry_state() == before


def test_an_officer_changes_a_record_and_its_version_goes_up(tree):
    response = patch(
        tree.users["officer_a"],
        f"/api/members/{tree.member_a1.pk}",
        {"phone": "+84 912 345 678", "version": 1, "reason": "Số mới"},
    )

    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["version"]) == ("0912345678", 2)
    entry = ChangeLog.objects.for_object(tree.member_a1).order_by("-id").first()
    assert (entry.action, entry.source, entry.reason) == (ChangeAction.UPDATE, ChangeSource.API, "Số mới")


def test_a_member_is_moved_to_another_cell_by_its_code(tree):
    response = patch(tree.users["officer_a"], f"/api/members/{tree.member_a1.pk}", {"unit_code": "XA-C2", "version": 1})

    assert response.json()["unit_code"] == "XA-C2"


def test_a_change_made_on_a_stale_version_is_refused_and_nothing_changes(tree):
    before = registry_state()

    response = patch(
        tree.users["officer_a"], f"/api/members/{tree.member_a1.pk}", {"phone": "0912345678", "version": 0}
    )

    assert response.status_code == 422
    message = "Someone else changed this record while you were editing it. Reload it and make your change again."
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}
    assert registry_state() == before


def test_a_cell_cannot_be_removed_by_sending_null(tree):
    before = registry_state()

    response = patch(tree.users["officer_a"], f"/api/members/{tree.member_a1.pk}", {"unit_code": None, "version": 1})

    assert response.status_code == 422 and "unit_code" in response.json()["errors"]
    assert registry_state() == before


def test_a_change_without_the_version_is_refused(tree):
    response = patch(tree.users["officer_a"], f"/api/members/{tree.member_a1.pk}", {"phone": "0912345678"})

    assert response.status_code == 422 and "version" in response.json()["errors"]


def test_the_history_lists_each_change_with_the_fields_it_changed(tree):
    patch(tree.users["officer_a"], f"/api/members/{tree.member_a1.pk}", {"phone": "0912345678", "version": 1})

    response = api_client(tree.users["officer_a"]).get(f"/api/members/{tree.member_a1.pk}/history")

    latest, created = response.json()
    assert (latest["action"], latest["action_label"], latest["source"], latest["actor_name"]) == (
        "update",
        "Updated",
        "api",
        "officer_a",
    )
    assert {"field": "phone", "before": tree.member_a1.phone, "after": "0912345678"} in latest["changes"]
    assert created["action"] == "create"


def test_the_history_of_a_member_outside_the_callers_scope_is_not_found(tree):
    response = api_client(tree.users["officer_b"]).get(f"/api/members/{tree.member_a1.pk}/history")

    assert response.status_code == 404


# Who may write: anonymous, no role, a role on the sibling commune, a viewer on the province above,
# and the member themself. A record outside scope is not found; a cell outside scope is an unknown code.
@pytest.mark.parametrize(
    ("caller", "expected"),
    [("anonymous", 401), ("no_role", 422), ("officer_b", 422), ("province_viewer", 403), ("member_a1", 403)],
)
def test_a_caller_without_authority_over_the_cell_registers_nobody(tree, caller, expected):
    before, log_count = registry_state(), ChangeLog.objects.count()

    response = post(tree.users.get(caller), "/api/members", member_body())

    assert response.status_code == expected
    assert registry_state() == before and ChangeLog.objects.count() == log_count


@pytest.mark.parametrize(
    ("caller", "expected"),
    [("anonymous", 401), ("no_role", 404), ("officer_b", 404), ("province_viewer", 403), ("member_a1", 403)],
)
def test_a_caller_without_authority_over_the_record_changes_nothing(tree, caller, expected):
    before, log_count = registry_state(), ChangeLog.objects.count()

    response = patch(tree.users.get(caller), f"/api/members/{tree.member_a1.pk}", {"phone": "0912345678", "version": 1})

    assert response.status_code == expected
    assert registry_state() == before and ChangeLog.objects.count() == log_count


def test_a_committee_is_not_a_cell_even_for_a_list_filter(tree):
    make_unit(parent=tree.province, kind=UnitKind.GRASSROOTS_COMMITTEE, code="HN-G")

    response = api_client(tree.users["province_viewer"]).get("/api/members", {"unit_code": "HN-G"})

    assert response.json()["count"] == 0
