"""The official administrative divisions in the tree (orgunits/divisions.py, manage.py load_divisions)."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.choices import ChangeAction, ChangeSource
from audit.models import ChangeLog
from common.tests.api import api_client
from orgunits.choices import AreaKind, UnitKind
from orgunits.divisions import divisions_load, official_divisions
from orgunits.models import AdminArea, Unit
from orgunits.services import area_update
from orgunits.tests.factories import make_area, make_unit

pytestmark = pytest.mark.django_db


def load(*arguments) -> str:
    out = io.StringIO()
    call_command("load_divisions", *arguments, stdout=out)
    return out.getvalue()


def test_one_command_gives_hung_yens_communes_with_their_codes_and_committees_and_a_second_run_changes_nothing():
    summary = load("--province", "Hưng Yên", "--committees", "--commit", "--reason", "NQ 1656/NQ-UBTVQH15")

    province = AdminArea.objects.get(official_code="33")
    communes = AdminArea.objects.filter(kind=AreaKind.COMMUNE, path__startswith=province.path)
    assert (province.name, province.kind, province.code) == ("Tỉnh Hưng Yên", AreaKind.PROVINCE, "VN-33")
    assert communes.count() == 104 and not communes.filter(official_code__isnull=True).exists()
    assert AdminArea.objects.get(official_code="11953").name == "Phường Phố Hiến"
    committee = Unit.objects.get(code="P33")
    assert (committee.name, committee.kind, committee.area) == ("Đảng bộ tỉnh Hưng Yên", "province_committee", province)
    assert Unit.objects.get_parent(committee).code == "TW"
    ward_committee = Unit.objects.get(code="X11953")
    assert (ward_committee.name, Unit.objects.get_parent(ward_committee)) == ("Đảng bộ phường Phố Hiến", committee)
    assert Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() == 104
    logged = ChangeLog.objects.filter(reason="NQ 1656/NQ-UBTVQH15")
    assert logged.count() == 105 + 106  # the areas, the committees and the central level created for them
    assert set(logged.values_list("source", flat=True)) == {ChangeSource.COMMAND}
    assert "105 to add" in summary and "105 committees to create" in summary

    again = load("--province", "33", "--committees", "--commit")

    assert ChangeLog.objects.count() == logged.count()
    assert "0 to add, 0 to rename, 0 to move, 0 to merge, 0 to close, 0 committees to create, 105 unchanged" in again


def test_without_commit_nothing_is_written_and_the_plan_is_shown():
    summary = load("--province", "33", "--committees")

    assert not AdminArea.objects.exists() and not Unit.objects.exists()
    assert "add\t11953\tPhường Phố Hiến" in summary and "committee\tX11953\tĐảng bộ phường Phố Hiến" in summary
    assert "nothing written" in summary


def test_a_city_is_named_once_as_a_city():
    hanoi = official_divisions(province="1")[0]

    assert (hanoi.name, hanoi.committee_name, hanoi.official_code) == (
        "Thành phố Hà Nội",
        "Đảng bộ thành phố Hà Nội",
        "01",
    )


def test_an_unknown_province_is_refused_by_name():
    with pytest.raises(CommandError, match="Atlantis"):
        load("--province", "Atlantis")


# A small list in the package's format, and a later version of it: the province of Hải Hà gives Xã Đông to Sơn
# Lâm, Phường Bắc is renamed, Xã Tây merges into Phường Bắc, Xã Nam is dissolved with nothing under it.
VERSION_1 = [
    {
        "name": "Hải Hà",
        "code": 90,
        "division_type": "tỉnh",
        "wards": [
            {"name": "Phường Bắc", "code": 90001, "division_type": "phường"},
            {"name": "Xã Tây", "code": 90002, "division_type": "xã"},
            {"name": "Xã Nam", "code": 90003, "division_type": "xã"},
            {"name": "Xã Đông", "code": 90004, "division_type": "xã"},
        ],
    },
    {
        "name": "Sơn Lâm",
        "code": 91,
        "division_type": "tỉnh",
        "wards": [{"name": "Xã Núi", "code": 91001, "division_type": "xã"}],
    },
]
VERSION_2 = [
    {
        "name": "Hải Hà",
        "code": 90,
        "division_type": "tỉnh",
        "wards": [
            {"name": "Phường Bắc Hải", "code": 90001, "division_type": "phường"},
            {"name": "Xã Cồn Mới", "code": 90005, "division_type": "xã"},
        ],
    },
    {
        "name": "Sơn Lâm",
        "code": 91,
        "division_type": "tỉnh",
        "wards": [
            {"name": "Xã Núi", "code": 91001, "division_type": "xã"},
            {"name": "Xã Đông", "code": 90004, "division_type": "xã"},
        ],
    },
]


@pytest.fixture
def versions(tmp_path):
    paths = []
    for number, data in enumerate((VERSION_1, VERSION_2), start=1):
        path = tmp_path / f"v{number}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_a_newer_list_renames_moves_merges_and_closes_through_the_services_keeping_history(versions):
    first, second = versions
    load("--source", first, "--committees", "--commit")
    tay = AdminArea.objects.get(official_code="90002")
    village = make_area(parent=tay, name="Thôn Tây 1")

    compared = load("--source", second, "--merge", "90002=90001")
    assert "rename\t90001\tPhường Bắc → Phường Bắc Hải" in compared
    assert "move\t90004\tXã Đông → province 91" in compared
    assert "merge\t90002\tXã Tây → 90001" in compared and "close\t90003\tXã Nam" in compared
    assert "add\t90005\tXã Cồn Mới" in compared
    assert AdminArea.objects.get(official_code="90001").name == "Phường Bắc"  # compared only

    load("--source", second, "--merge", "90002=90001", "--commit", "--reason", "NQ 2")

    bac = AdminArea.objects.get(official_code="90001")
    assert bac.name == "Phường Bắc Hải"
    village.refresh_from_db()
    assert AdminArea.objects.get_parent(village) == bac
    tay.refresh_from_db()
    nam = AdminArea.objects.get(official_code="90003")
    assert tay.closed_on is not None and nam.closed_on is not None  # closed, never deleted
    assert AdminArea.objects.get_parent(AdminArea.objects.get(official_code="90004")).official_code == "91"
    assert ChangeLog.objects.filter(reason="NQ 2", action=ChangeAction.MERGE, object_id=tay.pk).exists()
    assert ChangeLog.objects.filter(reason="NQ 2", action=ChangeAction.MOVE, object_id=village.pk).exists()
    # The committees are the party's own: the list's changes leave them as they were.
    assert Unit.objects.get(code="X90002").closed_on is None
    assert "0 to add, 0 to rename, 0 to move, 0 to merge, 0 to close" in load(
        "--source", second, "--merge", "90002=90001"
    )


def test_a_division_gone_with_villages_under_it_waits_for_its_successor_and_nothing_is_written(versions):
    first, second = versions
    load("--source", first, "--commit")
    make_area(parent=AdminArea.objects.get(official_code="90002"), name="Thôn Tây 1")
    logged = ChangeLog.objects.count()

    with pytest.raises(CommandError, match="Xã Tây"):
        load("--source", second, "--commit")

    assert ChangeLog.objects.count() == logged
    assert AdminArea.objects.get(official_code="90001").name == "Phường Bắc"


def test_a_merge_into_a_division_not_in_the_list_is_refused(versions):
    first, second = versions
    load("--source", first, "--commit")

    with pytest.raises(CommandError, match="99999"):
        load("--source", second, "--merge", "90002=99999")


def test_one_province_loaded_alone_never_closes_the_others(versions, tmp_path):
    first, _second = versions
    load("--source", first, "--commit")
    only_son_lam = tmp_path / "son_lam.json"
    only_son_lam.write_text(json.dumps([VERSION_1[1]], ensure_ascii=False), encoding="utf-8")

    summary = load("--source", str(only_son_lam), "--province", "91", "--commit")

    assert "0 to close" in summary and "2 unchanged" in summary
    assert not AdminArea.objects.filter(closed_on__isnull=False).exists()


def test_an_existing_committee_serving_a_division_is_kept_and_not_doubled(versions):
    first, _second = versions
    load("--source", first, "--commit")
    central = make_unit(kind=UnitKind.CENTRAL, name="Trung ương", code="TW")
    own = make_unit(
        parent=central,
        kind=UnitKind.PROVINCE_COMMITTEE,
        name="Tỉnh ủy Hải Hà",
        code="HH",
        area=AdminArea.objects.get(official_code="90"),
    )

    load("--source", first, "--committees", "--commit")

    own.refresh_from_db()
    assert own.name == "Tỉnh ủy Hải Hà" and not Unit.objects.filter(code="P90").exists()
    assert Unit.objects.get_parent(Unit.objects.get(code="X90001")) == own


def test_only_the_system_or_the_central_level_changes_the_administrative_tree(tree):
    with pytest.raises(PermissionDenied):
        area_update(actor=tree.users["officer_a"], area=tree.area_a, name="Xã A mới")
    tree.area_a.refresh_from_db()
    assert tree.area_a.name == "Xã A"


def test_a_code_that_is_not_two_or_five_digits_is_refused(tree):
    with pytest.raises(ValidationError) as refused:
        area_update(actor=None, area=tree.area_a, official_code="123")
    assert "official_code" in refused.value.message_dict


def test_loading_through_the_service_is_one_transaction(versions):
    first, second = versions
    divisions_load(actor=None, divisions=official_divisions(source=first))
    make_area(parent=AdminArea.objects.get(official_code="90002"), name="Thôn Tây 1")

    with pytest.raises(ValidationError):
        divisions_load(actor=None, divisions=official_divisions(source=second))

    assert not AdminArea.objects.filter(official_code="90005").exists()


def test_an_area_is_named_by_its_official_code_in_the_api_and_in_a_unit_list(tree, tmp_path):
    area_update(actor=None, area=tree.area_a, official_code="12345")

    response = api_client(tree.users["officer_a"]).patch(
        "/api/units/XA", {"area_code": "12345"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["area_code"] == "AR-XA"

    units = tmp_path / "units.csv"
    units.write_text(
        "Mã tổ chức,Tên tổ chức,Loại tổ chức,Mã tổ chức cấp trên,Mã địa bàn\n"
        "XA-C7,Chi bộ thôn 7,Chi bộ trực thuộc,XA,12345\n",
        encoding="utf-8",
    )
    call_command("import_units", str(units), "--commit", stdout=io.StringIO())
    assert Unit.objects.get(code="XA-C7").area == tree.area_a
    again = io.StringIO()
    call_command("import_units", str(units), "--commit", stdout=again)
    assert "0 to create, 0 to change, 1 unchanged" in again.getvalue()


def test_the_page_compares_then_loads_for_a_central_officer_only(tree, client):
    url = reverse("orgunits:divisions")
    for username in ("admin_a", "province_viewer", "member_a1"):
        client.force_login(tree.users[username])
        assert client.get(url).status_code == 403
        assert client.post(url, {"province": "33", "commit": "1"}).status_code == 403
    assert not AdminArea.objects.filter(official_code="33").exists()
    central_admin = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.central, username="central_admin")
    client.force_login(central_admin)
    assert url in client.get(reverse("orgunits:list")).content.decode()

    compared = client.post(url, {"province": "Hưng Yên", "committees": "on", "compare": "1"})

    assert compared.status_code == 200 and not AdminArea.objects.filter(official_code="33").exists()
    assert (len(compared.context["plan"].add), len(compared.context["plan"].committees)) == (105, 105)
    assert "Phường Phố Hiến" in compared.content.decode()

    loaded = client.post(url, {"province": "33", "committees": "on", "reason": "NQ 1656", "commit": "1"}, follow=True)

    assert loaded.status_code == 200
    assert AdminArea.objects.get(official_code="11953").name == "Phường Phố Hiến"
    assert Unit.objects.get(code="X11953").area.official_code == "11953"
    assert ChangeLog.objects.filter(reason="NQ 1656", actor=central_admin).count() == 105 + 105
    unknown = client.post(url, {"province": "Atlantis", "compare": "1"})
    assert unknown.status_code == 200 and "Atlantis" in unknown.content.decode()
