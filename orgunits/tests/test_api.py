import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.choices import ChangeAction, ChangeSource
from audit.models import ChangeLog
from common.dates import today
from common.tests.api import api_client
from members.tests.factories import make_member
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.services import unit_close
from orgunits.tests.factories import make_unit


@pytest.fixture(autouse=True)
def english(settings):
    # Requests carry no Accept-Language, so the API answers in LANGUAGE_CODE: make that English too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def tree_state() -> list[tuple]:
    return list(Unit.objects.order_by("pk").values_list("code", "name", "path", "area_id", "closed_on", "merged_into"))


def log_entry(unit: Unit) -> ChangeLog:
    return ChangeLog.objects.for_object(unit).order_by("-id").first()


# Reading


def test_a_commune_officer_lists_only_the_units_of_their_commune(tree):
    response = api_client(tree.users["officer_b"]).get("/api/units")

    assert response.status_code == 200
    assert codes(response) == ["XB", "XB-C1"]


def test_a_province_viewer_lists_the_units_of_both_communes(tree):
    response = api_client(tree.users["province_viewer"]).get("/api/units")

    assert set(codes(response)) == {"HN", "XA", "XA-C1", "XA-C2", "XA-G", "XA-G-C1", "XB", "XB-C1"}


def test_a_listed_unit_carries_its_kind_parent_area_and_current_member_count(tree):
    response = api_client(tree.users["province_viewer"]).get("/api/units", {"search": "XA"})

    assert response.json()["items"] == [
        {
            "code": "XA",
            "name": "Đảng bộ xã A",
            "kind": "commune_committee",
            "kind_label": "Commune party committee",
            "parent_code": "HN",
            "depth": 3,
            "area_code": "AR-XA",
            "area_name": "Xã A",
            "opened_on": today().isoformat(),
            "closed_on": None,
            "member_count": 2,
        }
    ]


def test_the_unit_list_is_filtered_by_kind(tree):
    response = api_client(tree.users["officer_a"]).get("/api/units", {"kind": UnitKind.GRASSROOTS_COMMITTEE})

    assert codes(response) == ["XA-G"]


def test_the_unit_list_is_paged_by_limit_and_offset(tree):
    response = api_client(tree.users["officer_a"]).get("/api/units", {"limit": 2, "offset": 1})

    assert response.json()["count"] == 5
    assert codes(response) == ["XA-C1", "XA-C2"]


def test_a_page_larger_than_the_maximum_is_refused(tree):
    response = api_client(tree.users["officer_a"]).get("/api/units", {"limit": settings.API_PAGE_SIZE_MAX + 1})

    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


def test_a_unit_outside_the_callers_scope_is_not_found(tree):
    response = api_client(tree.users["officer_b"]).get("/api/units/XA")

    assert response.status_code == 404


def test_a_plain_member_reads_their_own_cell(tree):
    response = api_client(tree.users["member_a1"]).get("/api/units/XA-C1")

    assert response.status_code == 200 and response.json()["member_count"] == 1


def test_the_children_of_a_unit_are_its_open_units_one_level_down(tree):
    unit_close(actor=None, unit=make_unit(parent=tree.commune_a, code="XA-OLD"))

    response = api_client(tree.users["officer_a"]).get("/api/units/XA/children")

    assert sorted(item["code"] for item in response.json()) == ["XA-C1", "XA-C2", "XA-G"]


def test_the_unit_list_runs_the_same_queries_for_3_and_for_30_units(db):
    central = make_unit(kind=UnitKind.CENTRAL, code="TW")
    province = make_unit(parent=central, kind=UnitKind.PROVINCE_COMMITTEE)

    def queries_to_list(cells: int) -> int:
        commune = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE)
        for _cell in range(cells):
            make_member(unit=make_unit(parent=commune))
        client = api_client(make_user(role=RoleKind.COMMITTEE_OFFICER, unit=commune))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/units", {"kind": UnitKind.ATTACHED_CELL})
        assert len(response.json()["items"]) == cells
        return len(queries)

    assert queries_to_list(3) == queries_to_list(30)


# Writing


def test_an_officer_creates_a_cell_and_the_change_is_logged_as_from_the_api(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/units",
        {"parent_code": "XA", "code": "XA-C3", "name": "Chi bộ thôn 3", "kind": "attached_cell", "reason": "Thôn mới"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["parent_code"] == "XA"
    unit = Unit.objects.get(code="XA-C3")
    entry = log_entry(unit)
    assert (entry.action, entry.source, entry.actor, entry.reason) == (
        ChangeAction.CREATE,
        ChangeSource.API,
        tree.users["officer_a"],
        "Thôn mới",
    )


def test_a_unit_the_tree_rules_refuse_gets_a_field_error_and_nothing_is_saved(tree):
    before = tree_state()

    response = api_client(tree.users["officer_a"]).post(
        "/api/units",
        {"parent_code": "XA-C1", "code": "XA-C1-X", "name": "Chi bộ con", "kind": "attached_cell"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"parent_code": ["A cell cannot have units under it."]}
    assert tree_state() == before


def test_a_body_missing_required_fields_names_each_of_them(tree):
    response = api_client(tree.users["officer_a"]).post("/api/units", {}, content_type="application/json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"parent_code", "code", "name", "kind"}


def test_a_parent_outside_the_callers_scope_is_reported_as_unknown_and_nothing_is_saved(tree):
    before = tree_state()

    response = api_client(tree.users["officer_b"]).post(
        "/api/units",
        {"parent_code": "XA", "code": "XA-C3", "name": "Chi bộ thôn 3", "kind": "attached_cell"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"parent_code": ["There is no unit with the code “XA”."]}
    assert tree_state() == before


def test_an_area_outside_the_callers_scope_is_reported_as_unknown_and_nothing_is_saved(tree):
    before = tree_state()

    response = api_client(tree.users["officer_b"]).post(
        "/api/units",
        {
            "parent_code": "XB",
            "code": "XB-C2",
            "name": "Chi bộ thôn Tây",
            "kind": "attached_cell",
            "area_code": "AR-XA",
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"area_code": ["There is no area with the code “AR-XA”."]}
    assert tree_state() == before


def test_an_officer_renames_a_unit(tree):
    response = api_client(tree.users["officer_a"]).patch(
        "/api/units/XA-C2", {"name": "Chi bộ thôn Hai", "reason": "Đổi tên thôn"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["name"] == "Chi bộ thôn Hai"
    assert log_entry(tree.cell_a2).postchange_data["name"] == "Chi bộ thôn Hai"


def test_an_area_set_to_null_is_removed_from_the_unit(tree):
    response = api_client(tree.users["officer_a"]).patch(
        "/api/units/XA-C1", {"area_code": None}, content_type="application/json"
    )

    assert response.json()["area_code"] is None
    assert Unit.objects.get(code="XA-C1").area is None


def test_an_officer_moves_a_cell_under_a_grassroots_committee_of_their_commune(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/units/XA-C2/move", {"new_parent_code": "XA-G"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["parent_code"] == "XA-G"
    assert log_entry(tree.cell_a2).action == ChangeAction.MOVE


def test_an_officer_closes_an_empty_cell(tree):
    cell = make_unit(parent=tree.commune_a, code="XA-C9")

    response = api_client(tree.users["officer_a"]).post(
        "/api/units/XA-C9/close", {"reason": "Giải thể"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["closed_on"] == today().isoformat()
    assert log_entry(cell).action == ChangeAction.CLOSE


def test_closing_a_cell_that_still_has_members_is_refused_and_nothing_changes(tree):
    before = tree_state()

    response = api_client(tree.users["officer_a"]).post("/api/units/XA-C1/close", {}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "closed_on": ["Members still belong to this unit: move them or merge the unit first."]
    }
    assert tree_state() == before


def test_an_officer_merges_a_cell_into_another_and_its_members_follow(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/units/XA-C2/merge", {"target_code": "XA-C1", "reason": "Sáp nhập thôn"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["code"] == "XA-C1" and response.json()["member_count"] == 2
    tree.member_a2.refresh_from_db()
    assert tree.member_a2.unit == tree.cell_a1
    source = Unit.objects.get(code="XA-C2")
    assert source.merged_into == tree.cell_a1 and source.closed_on == today()
    assert log_entry(source).action == ChangeAction.MERGE


def test_merging_units_of_different_kinds_is_refused_with_the_target_named(tree):
    before = tree_state()

    response = api_client(tree.users["officer_a"]).post(
        "/api/units/XA-C2/merge", {"target_code": "XA-G"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"target_code": ["Only units of the same kind can be merged."]}
    assert tree_state() == before


# Who may write: anonymous, no role, a role on the sibling commune, a viewer on the province above.
# A unit outside scope in the URL is not found (404); one named in the body is an unknown code (422).
WRITES = {
    "create": ("post", "/api/units", {"parent_code": "XA", "code": "N", "name": "N", "kind": "attached_cell"}, 422),
    "update": ("patch", "/api/units/XA-C2", {"name": "Chi bộ thôn Hai"}, 404),
    "move": ("post", "/api/units/XA-C2/move", {"new_parent_code": "XA-G"}, 404),
    "close": ("post", "/api/units/XA-C2/close", {}, 404),
    "merge": ("post", "/api/units/XA-C2/merge", {"target_code": "XA-C1"}, 404),
}


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("caller", ["anonymous", "no_role", "officer_b", "province_viewer"])
def test_a_caller_without_authority_over_the_unit_changes_nothing(tree, write, caller):
    method, path, body, outside_scope_status = WRITES[write]
    expected = {"anonymous": 401, "no_role": outside_scope_status, "officer_b": outside_scope_status}.get(caller, 403)
    before, log_count = tree_state(), ChangeLog.objects.count()

    response = getattr(api_client(tree.users.get(caller)), method)(path, body, content_type="application/json")

    assert response.status_code == expected
    assert tree_state() == before and ChangeLog.objects.count() == log_count
