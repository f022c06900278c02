import dataclasses
import datetime
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import ChangeLog
from demo import synthetic
from demo.synthetic import ERROR_KINDS, SyntheticSpec, generate_synthetic
from members.choices import CURRENT_STATUSES
from members.models import Member
from members.quality import checks
from orgunits.choices import CELL_KINDS, UNIT_PARENT_KINDS, AreaKind, UnitKind
from orgunits.models import AdminArea, Unit
from orgunits.services import unit_create

SMALL = SyntheticSpec(provinces=2, communes=5, grassroots=8, cells=30, members=400, seed=3)
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
AS_OF = datetime.date(2025, 12, 31)
DUPLICATE_KINDS = ("duplicate_citizen_id", "duplicate_card_number", "probable_duplicate")
# Real namesakes born on the same day: rare among 2,000 members, but possible.
NAMESAKES_ALLOWED = 6


def member_rows(spec: SyntheticSpec) -> list[dict]:
    rng = random.Random(spec.seed)
    _areas, _units, cells = synthetic.build_trees(spec, rng)
    maker = synthetic._MemberMaker(spec, random.Random(spec.seed + 1), AS_OF, NOW)
    return list(synthetic.iter_members(maker, cells))


def test_path_steps_count_in_base_36_padded_to_four_characters():
    assert [synthetic.path_step(n) for n in (1, 9, 10, 35, 36, 37, 1296)] == [
        "0001",
        "0009",
        "000A",
        "000Z",
        "0010",
        "0011",
        "0100",
    ]


def test_the_smallest_size_is_one_cell_of_thirty_members(db):
    summary = generate_synthetic(synthetic.SIZES["cell"])

    assert summary.members == 30
    assert Unit.objects.filter(kind__in=CELL_KINDS).count() == 1
    assert Member.objects.values("unit").distinct().count() == 1


def test_the_tree_has_the_requested_numbers_of_each_level(db):
    generate_synthetic(SMALL)

    assert Unit.objects.filter(kind=UnitKind.CENTRAL).count() == 1
    assert Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).count() == 2
    assert Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() == 5
    grassroots = Unit.objects.filter(kind__in=[UnitKind.GRASSROOTS_CELL, UnitKind.GRASSROOTS_COMMITTEE])
    assert grassroots.count() == 8
    assert Unit.objects.filter(kind__in=CELL_KINDS).count() == 30
    assert Member.objects.count() == 400
    assert AdminArea.objects.filter(kind=AreaKind.PROVINCE).count() == 2
    assert AdminArea.objects.filter(kind=AreaKind.COMMUNE).count() == 5


def test_treebeard_finds_no_problem_in_either_tree(db):
    generate_synthetic(SMALL)

    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert AdminArea.objects.find_problems() == ([], [], [], [], [])


def test_every_unit_sits_under_a_unit_of_an_allowed_kind(db):
    generate_synthetic(SMALL)

    units = {unit.path: unit for unit in Unit.objects.all()}
    for unit in units.values():
        parent = units.get(unit.path[: -Unit.steplen])
        assert (parent.kind if parent else None) in UNIT_PARENT_KINDS[unit.kind], unit.code


def test_treebeard_reads_the_generated_tree_like_one_it_built(db):
    generate_synthetic(SMALL)
    province = Unit.objects.get(code="T01")

    assert Unit.objects.get_parent(province).code == "TW"
    assert {child.kind for child in Unit.objects.get_children(province)} == {UnitKind.COMMUNE_COMMITTEE}
    descendants = Unit.objects.get_descendants(province)
    assert descendants.count() == Unit.objects.filter(path__startswith=province.path).count() - 1


def test_village_cells_serve_a_village_of_their_own_commune(db):
    generate_synthetic(SMALL)

    village_cells = Unit.objects.filter(area__kind__in=[AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP])
    assert village_cells.exists()
    for cell in village_cells.select_related("area"):
        commune = Unit.objects.get(path=cell.path[: 3 * Unit.steplen])
        assert cell.area.path.startswith(commune.area.path)


def test_without_planted_errors_every_member_passes_the_validation_rules(db):
    generate_synthetic(SMALL)

    for member in Member.objects.select_related("unit", "residence_area"):
        try:
            member.full_clean()
        except ValidationError as error:  # pragma: no cover - the message says which rule failed
            pytest.fail(f"{member.full_name}: {error.message_dict}")


def test_the_same_seed_gives_the_same_members():
    assert member_rows(SMALL) == member_rows(SMALL)


def test_another_seed_gives_other_members():
    first = [row["full_name"] for row in member_rows(SMALL)]
    second = [row["full_name"] for row in member_rows(dataclasses.replace(SMALL, seed=4))]

    assert first != second


def test_the_error_rate_plants_about_that_share_of_each_kind():
    spec = dataclasses.replace(SMALL, members=4_000, error_rate=0.02)
    rows = member_rows(spec)
    _areas, _units, cells = synthetic.build_trees(spec, random.Random(spec.seed))
    village_cells = {cell.unit_id for cell in cells if cell.kind == "village"}

    planted = [row["_planted"] for row in rows]
    for kind in ERROR_KINDS:
        # A cell outside the commune of residence can only be planted on a member of a village's cell.
        eligible = (
            sum(row["unit_id"] in village_cells for row in rows) if kind == "cell_outside_residence_commune" else 0
        )
        expected = spec.error_rate * (eligible or len(rows))
        assert expected / 2 <= planted.count(kind) <= expected * 1.75, kind


def test_an_error_rate_too_high_for_one_error_per_member_is_refused():
    with pytest.raises(ValueError, match="error rate"):
        dataclasses.replace(SMALL, error_rate=0.2).check()


def test_the_checks_find_every_planted_error(db):
    summary = generate_synthetic(dataclasses.replace(SMALL, members=2_000, error_rate=0.03))
    members = Member.objects.filter(status__in=CURRENT_STATUSES)  # the whole registry, as a pass reads it

    found = {check.code: {member_id for member_id, _path in check.find(members)} for check in checks.CHECKS}

    planted = summary.planted
    assert all(planted.get(kind, 0) > 0 for kind in ERROR_KINDS), planted
    for kind in set(ERROR_KINDS) - set(DUPLICATE_KINDS) - {"invalid_citizen_id"}:
        assert len(found[kind]) == planted[kind], kind
    # A citizen ID that lost its leading zeros in a spreadsheet is both a duplicate and an invalid number.
    assert len(found["invalid_citizen_id"]) == planted["invalid_citizen_id"] + planted["duplicate_citizen_id"]
    # A duplicate flags the copy and the original (unless the original has since died or left).
    for kind in DUPLICATE_KINDS:
        assert planted[kind] <= len(found[kind]) <= 2 * planted[kind] + NAMESAKES_ALLOWED, kind


def test_one_change_log_row_sums_up_the_generation_and_none_is_written_per_member(db):
    generate_synthetic(SMALL)

    entry = ChangeLog.objects.get()
    assert entry.unit.code == "TW"
    assert entry.postchange_data["members"] == 400
    assert entry.postchange_data["synthetic"]["seed"] == 3


def test_synthetic_data_goes_only_into_a_database_without_units(tree):
    with pytest.raises(synthetic.SyntheticDataExists):
        generate_synthetic(SMALL)


def test_new_units_and_areas_get_ids_after_the_generated_ones(db):
    generate_synthetic(SMALL)

    commune = Unit.objects.get(code="T01-X0001")
    cell = unit_create(actor=None, parent=commune, code="NEW", name="Chi bộ mới", kind=UnitKind.ATTACHED_CELL)

    commune.refresh_from_db()
    assert Unit.objects.get_children(commune).last() == cell
    assert Unit.objects.find_problems() == ([], [], [], [], [])

    assert cell.pk > Unit.objects.exclude(pk=cell.pk).order_by("-pk").first().pk


def test_the_command_generates_a_preset_size_with_overrides(db):
    output = io.StringIO()

    call_command(
        "generate_synthetic", "--size", "cell", "--members", "12", "--seed", "5", stdout=output, stderr=io.StringIO()
    )

    assert Member.objects.count() == 12
    assert "12 members" in output.getvalue()


def test_the_command_refuses_a_database_with_units(tree):
    with pytest.raises(CommandError, match="empty"):
        call_command("generate_synthetic", "--size", "cell", stdout=io.StringIO(), stderr=io.StringIO())


def test_provinces_and_communes_are_the_official_lists_and_past_it_made_up_without_a_code():
    areas, _units, _cells = synthetic.build_trees(dataclasses.replace(SMALL, communes=5), random.Random(1))
    provinces = [row for row in areas.rows if row["kind"] == "province"]
    communes = [row for row in areas.rows if row["kind"] == "commune"]

    assert [(row["name"], row["official_code"]) for row in provinces] == [
        ("Thành phố Hà Nội", "01"),
        ("Tỉnh Cao Bằng", "04"),
    ]
    assert (communes[0]["name"], communes[0]["official_code"]) == ("Phường Hoàn Kiếm", "00070")
    assert len(communes) == 5 and all(row["official_code"] for row in communes)

    whole = synthetic.SIZES["national"]
    assert (
        (whole.provinces, whole.communes) == (34, sum(map(len, synthetic.COMMUNES_BY_PROVINCE.values()))) == (34, 3_321)
    )
    crowded, _units, _cells = synthetic.build_trees(
        dataclasses.replace(SMALL, provinces=1, communes=130, grassroots=0, cells=130), random.Random(1)
    )
    made_up = [row for row in crowded.rows if row["kind"] == "commune" and row["official_code"] is None]
    assert len(made_up) == 130 - len(synthetic.COMMUNES_BY_PROVINCE["01"])
