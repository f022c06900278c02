"""The API runs the same services: issue, file with an override, review, compile, timeliness."""

import datetime

from django.utils.timezone import localdate as today

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.api import api_client
from reports.models import Campaign

from .factories import FIELDS, make_template


def test_templates_are_created_and_read(tree):
    client = api_client(tree.users["officer_a"])
    created = client.post(
        "/api/reports/templates",
        {"unit_code": "XA", "code": "BC-API", "title": "Mẫu", "fields": FIELDS},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = client.get(f"/api/reports/templates/{created.json()['id']}").json()
    assert [field["key"] for field in body["fields"]][:2] == ["members", "eligible"]
    assert body["fields"][0]["display_label"] == "Party members"


def test_a_template_with_an_unknown_indicator_is_a_422(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/reports/templates",
        {"unit_code": "XA", "code": "X", "title": "x", "fields": [{"key": "nope", "kind": "indicator"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "fields" in response.json()["errors"]


def test_issue_file_review_and_compile_through_the_api(tree):
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="officer_hn")
    template = make_template(unit=tree.province)
    dates = {
        "period_start": str(today()),
        "period_end": str(today()),
        "cutoff_on": str(today()),
        "deadline": str(today() + datetime.timedelta(days=3)),
    }
    province = api_client(province_officer).post(
        "/api/reports/campaigns",
        {
            "unit_code": "HN",
            "template_id": template.pk,
            "target_tree": "units",
            "target_kind": "commune_committee",
            **dates,
        },
        content_type="application/json",
    )
    assert province.status_code == 201, province.content
    officer = api_client(tree.users["officer_a"])
    child = officer.post(
        "/api/reports/campaigns",
        {
            "unit_code": "XA",
            "template_id": template.pk,
            "target_tree": "units",
            "target_kind": "attached_cell",
            "parent_id": province.json()["id"],
            **dates,
        },
        content_type="application/json",
    )
    assert child.status_code == 201, child.content
    cell_report = Campaign.objects.get(pk=child.json()["id"]).submissions.get(target_unit=tree.cell_a1)

    secretary = api_client(tree.users["secretary_a1"])
    saved = secretary.put(
        f"/api/reports/submissions/{cell_report.pk}",
        {"values": {"households": 4, "members": 3, "members_note": "2 mới chuyển đến"}, "version": cell_report.version},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    stale = secretary.put(
        f"/api/reports/submissions/{cell_report.pk}",
        {"values": {}, "version": cell_report.version},
        content_type="application/json",
    )
    assert stale.status_code == 422
    assert secretary.post(f"/api/reports/submissions/{cell_report.pk}/submit").json()["state"] == "submitted"
    assert secretary.post(f"/api/reports/submissions/{cell_report.pk}/accept").status_code == 403
    assert officer.post(f"/api/reports/submissions/{cell_report.pk}/accept").json()["state"] == "accepted"

    commune_report = Campaign.objects.get(pk=province.json()["id"]).submissions.get(target_unit=tree.commune_a)
    compiled = officer.post(f"/api/reports/submissions/{commune_report.pk}/compile").json()
    cells = {cell["key"]: cell for cell in compiled["cells"]}
    assert cells["members"]["value"] == 3
    assert cells["households"]["value"] == 4
    assert compiled["events"][-1]["kind"] == "compiled"

    table = officer.get(f"/api/reports/campaigns/{child.json()['id']}").json()
    assert sorted(table["missing"]) == ["XA-C2", "XA-G-C1"]
    timeliness = officer.get(f"/api/reports/campaigns/{child.json()['id']}/timeliness").json()
    assert timeliness["per_unit"][0] | {"label": None, "level": None} == {
        "label": None,
        "level": None,
        "expected": 3,
        "submitted": 1,
        "on_time": 1,
        "late": 0,
        "missing": 2,
        "completeness": 33.3,
        "timeliness": 33.3,
    }
