"""State bodies and organisations on the administrative tree (issue 22 point 1): their rules, who keeps them, and
their pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import ChangeLog
from orgunits.choices import AreaKind, OrganisationKind
from orgunits.models import Organisation
from orgunits.services import organisation_close, organisation_create, organisation_update
from orgunits.tests.factories import make_area, make_organisation


def _create(tree, actor, **fields):
    data = {"area": tree.area_a, "code": "UBND-XA", "name": "Ủy ban nhân dân xã A", "kind": "peoples_committee"}
    return organisation_create(actor=actor, **(data | fields))


def test_a_commune_officer_adds_its_peoples_committee_and_an_office(tree):
    committee = _create(tree, tree.users["officer_a"], reason="Triển khai Sổ tay")
    office = _create(
        tree,
        tree.users["officer_a"],
        code="UBND-XA-VHXH",
        name="Phòng Văn hóa - Xã hội",
        kind=OrganisationKind.OFFICE,
        parent=committee,
    )

    assert office.acts_for == committee
    assert committee.acts_for == committee
    entries = ChangeLog.objects.filter(object_type__model="organisation").order_by("id")
    assert [entry.postchange_data["code"] for entry in entries] == ["UBND-XA", "UBND-XA-VHXH"]
    assert entries[0].reason == "Triển khai Sổ tay"


def test_an_area_has_one_open_peoples_committee(tree):
    _create(tree, None)

    with pytest.raises(ValidationError) as error:
        _create(tree, None, code="UBND-XA-2")

    assert "kind" in error.value.message_dict
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "area_kind", "field"),
    [
        (OrganisationKind.PEOPLES_COMMITTEE, AreaKind.VILLAGE, "area"),
        (OrganisationKind.OFFICE, AreaKind.COMMUNE, "parent"),
        (OrganisationKind.SCHOOL, AreaKind.PROVINCE, "area"),
    ],
)
def test_placement_rules_name_the_wrong_field(tree, kind, area_kind, field):
    area = {AreaKind.VILLAGE: tree.village_a1, AreaKind.COMMUNE: tree.area_a, AreaKind.PROVINCE: tree.area_province}

    with pytest.raises(ValidationError) as error:
        _create(tree, None, area=area[area_kind], kind=kind, code="X-1")

    assert field in error.value.message_dict
    assert not Organisation.objects.exists()


def test_only_an_office_belongs_to_a_committee(tree):
    committee = _create(tree, None)

    with pytest.raises(ValidationError) as error:
        _create(tree, None, code="TRUONG", name="Trường Tiểu học", kind=OrganisationKind.SCHOOL, parent=committee)

    assert "parent" in error.value.message_dict


def test_the_party_unit_must_serve_the_same_commune(tree):
    with pytest.raises(ValidationError) as error:
        _create(tree, None, code="TRUONG", kind=OrganisationKind.SCHOOL, party_unit=tree.commune_b)

    assert "party_unit" in error.value.message_dict
    school = _create(tree, None, code="TRUONG", kind=OrganisationKind.SCHOOL, party_unit=tree.cell_a1)
    assert school.party_unit == tree.cell_a1


def test_only_those_managing_units_serving_the_area_keep_its_organisations(tree):
    with pytest.raises(PermissionDenied):
        _create(tree, tree.users["officer_b"])
    with pytest.raises(PermissionDenied):
        _create(tree, tree.users["secretary_a1"])
    school = make_organisation(area=tree.area_a, kind=OrganisationKind.SCHOOL)
    with pytest.raises(PermissionDenied):
        organisation_update(actor=tree.users["officer_b"], organisation=school, name="Khác", party_unit=None)

    assert Organisation.objects.get(pk=school.pk).name != "Khác"


def test_closing_keeps_the_row_and_refuses_a_committee_with_open_offices(tree):
    committee = _create(tree, None)
    office = _create(tree, None, code="VHXH", name="Phòng Văn hóa - Xã hội", kind="office", parent=committee)

    with pytest.raises(ValidationError):
        organisation_close(actor=tree.users["officer_a"], organisation=committee, reason="Sáp nhập")
    organisation_close(actor=tree.users["officer_a"], organisation=office, reason="Sáp nhập")
    organisation_close(actor=tree.users["officer_a"], organisation=committee, reason="Sáp nhập")

    committee.refresh_from_db()
    assert committee.closed_on is not None
    # A new committee may then be added for the area.
    assert _create(tree, None, code="UBND-XA-MOI").is_open


def test_the_organisation_pages_for_an_officer(client, tree):
    village_school = make_organisation(area=tree.village_a1, kind=OrganisationKind.SCHOOL, name="Trường Mầm non Thôn 1")
    make_organisation(area=tree.area_b, kind=OrganisationKind.SCHOOL, name="Trường của xã B")
    client.force_login(tree.users["officer_a"])

    listing = client.get(reverse("orgunits:organisations")).content.decode()
    detail = client.get(reverse("orgunits:organisation", args=[village_school.code]))
    created = client.post(
        reverse("orgunits:organisation_create"),
        {"code": "CTY-1", "name": "Công ty May xã A", "kind": "enterprise", "area": tree.area_a.pk, "reason": "x"},
    )

    assert "Trường Mầm non Thôn 1" in listing
    assert "Trường của xã B" not in listing
    assert detail.status_code == 200
    assert created.status_code == 302
    assert Organisation.objects.get(code="CTY-1").area == tree.area_a


def test_another_commune_gets_404_and_a_member_cannot_edit(client, tree):
    school = make_organisation(area=tree.area_a, kind=OrganisationKind.SCHOOL)
    client.force_login(tree.users["officer_b"])
    assert client.get(reverse("orgunits:organisation", args=[school.code])).status_code == 404

    # The village's member sees its school, and cannot edit it.
    school = make_organisation(area=tree.village_a1, kind=OrganisationKind.SCHOOL)
    client.force_login(tree.users["member_a1"])
    assert client.get(reverse("orgunits:organisation", args=[school.code])).status_code == 200
    response = client.post(reverse("orgunits:organisation_edit", args=[school.code]), {"name": "Khác"})
    assert response.status_code == 404
    assert Organisation.objects.get(pk=school.pk).name == school.name


def test_a_new_village_school_with_its_cell(tree):
    village = make_area(parent=tree.area_a, kind=AreaKind.VILLAGE)

    school = make_organisation(area=village, kind=OrganisationKind.SCHOOL, party_unit=tree.cell_a2)

    assert school.area == village and school.party_unit == tree.cell_a2


def test_the_api_adds_lists_and_reads_organisations(tree):
    from common.tests.api import api_client

    client = api_client(tree.users["officer_a"])
    committee = client.post(
        "/api/organisations",
        {"area_code": "AR-XA", "code": "UBND-XA", "name": "Ủy ban nhân dân xã A", "kind": "peoples_committee"},
        content_type="application/json",
    )
    office = client.post(
        "/api/organisations",
        {
            "area_code": "AR-XA",
            "code": "VHXH",
            "name": "Phòng Văn hóa - Xã hội",
            "kind": "office",
            "parent_code": "UBND-XA",
        },
        content_type="application/json",
    )
    wrong = client.post(
        "/api/organisations",
        {"area_code": "AR-XA-T1", "code": "UBND-T1", "name": "Ủy ban", "kind": "peoples_committee"},
        content_type="application/json",
    )

    assert committee.status_code == 201, committee.content
    assert office.json()["parent_code"] == "UBND-XA"
    assert wrong.status_code == 422 and "area_code" in wrong.content.decode()
    listing = client.get("/api/organisations").json()
    assert [item["code"] for item in listing["items"]] == ["VHXH", "UBND-XA"]
    assert api_client(tree.users["officer_b"]).get("/api/organisations/VHXH").status_code == 404
