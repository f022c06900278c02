"""Roster imports through the API: upload, mapping, preview, rows, commit; scoped like the pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.tests.api import api_client
from members.importing.tests.test_import import roster_csv, row_for
from members.models import Member
from members.tests.factories import member_data


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content: bytes, unit_code: str = "XA", name: str = "danh-sach.csv"):
    return client.post("/api/imports", {"file": SimpleUploadedFile(name, content), "unit_code": unit_code})


def test_an_officer_imports_a_roster_through_the_api_step_by_step(tree):
    officer = api_client(tree.users["officer_a"])
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Hồng")
    content = roster_csv([row_for(tree.member_a1, number=1, phone="0912000111"), row_for(newcomer, number=2)])

    created = upload(officer, content)
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["state"] == "mapping" and job["headers"][1] == "Họ và tên"
    assert job["mapping"]["1"] == "full_name"
    assert "full_name" in {item["field"] for item in officer.get("/api/imports/fields").json()}

    checked = officer.post(
        f"/api/imports/{job['id']}/mapping",
        data=json.dumps({"mapping": job["mapping"]}),
        content_type="application/json",
    )
    assert checked.status_code == 202, checked.content
    job = officer.get(f"/api/imports/{job['id']}").json()
    assert (job["state"], job["new_count"], job["changed_count"], job["error_count"]) == ("previewed", 1, 1, 0)
    [changed] = officer.get(f"/api/imports/{job['id']}/rows", {"kind": "changed"}).json()["items"]
    assert changed["member_id"] == tree.member_a1.pk
    assert {"field": "phone", "old": tree.member_a1.phone, "new": "0912000111"} in changed["changes"]

    applied = officer.post(f"/api/imports/{job['id']}/commit")
    assert applied.status_code == 202
    assert officer.get(f"/api/imports/{job['id']}").json()["state"] == "committed"
    assert Member.objects.get(pk=tree.member_a1.pk).phone == "0912000111"
    assert Member.objects.filter(full_name="Đỗ Thị Hồng", unit=tree.cell_a2).exists()


def test_a_bad_row_is_listed_with_its_column_and_message(tree):
    officer = api_client(tree.users["officer_a"])
    content = roster_csv([row_for(tree.member_a1, date_of_birth="31/02/1960")])
    job = upload(officer, content).json()
    officer.post(
        f"/api/imports/{job['id']}/mapping",
        data=json.dumps({"mapping": job["mapping"]}),
        content_type="application/json",
    )

    [row] = officer.get(f"/api/imports/{job['id']}/rows", {"kind": "error"}).json()["items"]

    assert row["row_number"] == 2
    assert row["problems"][0]["column"] == "D · Ngày sinh" and row["problems"][0]["message"]
    assert officer.post(f"/api/imports/{job['id']}/commit").status_code in (202, 422)
    assert Member.objects.get(pk=tree.member_a1.pk).date_of_birth == tree.member_a1.date_of_birth


def test_imports_stay_within_the_importers_units(tree):
    officer = api_client(tree.users["officer_a"])
    job = upload(officer, roster_csv([row_for(tree.member_a1)])).json()

    sibling = api_client(tree.users["officer_b"])
    assert sibling.get(f"/api/imports/{job['id']}").status_code == 404
    assert sibling.post(f"/api/imports/{job['id']}/commit").status_code == 404
    assert upload(sibling, roster_csv([row_for(tree.member_a1)]), unit_code="XA").status_code == 422
    viewer = api_client(tree.users["province_viewer"])
    assert upload(viewer, roster_csv([row_for(tree.member_a1)]), unit_code="XA").status_code == 403


def test_a_file_that_is_not_a_roster_is_refused_with_a_message(tree):
    response = upload(api_client(tree.users["officer_a"]), b"\x00\x01garbage", name="roster.xlsx")

    assert response.status_code == 422
    assert response.json()["errors"]["file"]


def test_an_identity_conflict_is_listed_and_decided_through_the_api(tree):
    officer = api_client(tree.users["officer_a"])
    born = tree.member_a1.date_of_birth
    content = roster_csv(
        [row_for(tree.member_a1, full_name="Lê Thanh Lan", date_of_birth=born.replace(day=1 if born.day != 1 else 2))]
    )
    job = upload(officer, content).json()
    officer.post(
        f"/api/imports/{job['id']}/mapping",
        data=json.dumps({"mapping": job["mapping"]}),
        content_type="application/json",
    )
    assert officer.get(f"/api/imports/{job['id']}").json()["conflict_count"] == 1
    [row] = officer.get(f"/api/imports/{job['id']}/rows", {"kind": "conflict"}).json()["items"]

    decided = officer.post(
        f"/api/imports/{job['id']}/rows/{row['id']}/decision",
        data=json.dumps({"decision": "same_person"}),
        content_type="application/json",
    )

    assert decided.status_code == 200, decided.content
    assert (decided.json()["kind"], decided.json()["decision"]) == ("changed", "same_person")
    job = officer.get(f"/api/imports/{job['id']}").json()
    assert (job["conflict_count"], job["changed_count"]) == (0, 1)
