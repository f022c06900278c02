"""The commit writes new members from the records its preview checked: on PostgreSQL inside the database, on
SQLite (and on another day) through `members_bulk_create`. Either way the members, their change log and the
rollout figures are what the member services would have written."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import ChangeLog
from audit.services import bulk_creation_log_in_database, snapshot
from members.choices import ImportRowKind, ImportState, MemberReviewFlagKind
from members.importing import services
from members.importing.tests.test_import import (  # private_media: the uploads go to a temporary folder here too
    HEADER,
    errors_of,
    patch_member_creation,
    preview,
    private_media,  # noqa: F401
    roster_csv,
    row_for,
)
from members.models import Member, MemberReviewFlag
from members.services import new_member_record
from members.tests.factories import member_data
from orgunits.models import Unit
from rollout.recount import find_differences
from rollout.selectors import unit_figures

pytestmark = pytest.mark.django_db


def _newcomers(tree) -> list[list]:
    born_in_a_year = member_data(unit=tree.cell_a2, official_on=None)
    return [
        row_for(member_data(unit=tree.cell_a2, full_name="  đỗ   thị mới "), number=1, phone="+84 912 345 678"),
        # Only the year of birth: stored as 1 January, and flagged for review.
        row_for(born_in_a_year, number=2, date_of_birth=str(born_in_a_year["date_of_birth"].year)),
        row_for(member_data(unit=tree.cell_a1, citizen_id=None), number=3),
    ]


def _expected_records(job) -> dict:
    """What `new_member_record` gives for each new row's values, by card number."""
    expected = {}
    for row in job.rows.filter(kind=ImportRowKind.NEW):
        data = services._row_data(row, {unit.pk: unit for unit in Unit.objects.all()}, {})
        expected[data["card_number"]] = new_member_record(data)
    return expected


def test_new_members_hold_the_checked_records_with_their_creation_log(tree):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv(_newcomers(tree)))
    expected = _expected_records(job)
    figures_before = unit_figures(unit=tree.commune_a).members

    job = services.import_job_commit(actor=officer, job=job)

    assert job.state == ImportState.COMMITTED and len(expected) == 3
    for card_number, record in expected.items():
        member = Member.objects.get(card_number=card_number)
        for field in Member._meta.concrete_fields:
            if field.attname not in ("id", "created_at", "updated_at"):
                assert getattr(member, field.attname) == record[field.attname], field.attname
        entry = ChangeLog.objects.for_object(member).get()
        assert (entry.action, entry.prechange_data, entry.object_repr) == ("create", None, member.full_name)
        assert entry.postchange_data == snapshot(member)
        assert (entry.unit_id, entry.actor_id, entry.reason) == (
            member.unit_id,
            officer.pk,
            services.import_reason(job),
        )
    assert Member.objects.get(card_number=next(iter(expected))).full_name == "đỗ thị mới"  # spaces normalised
    assert unit_figures(unit=tree.commune_a).members == figures_before + 3
    flagged = MemberReviewFlag.objects.get(kind=MemberReviewFlagKind.PARTIAL_DATE, field="date_of_birth")
    assert flagged.member.date_of_birth.timetuple()[1:3] == (1, 1)


def _service_used(monkeypatch) -> list[str]:
    used = []

    def noted(real_create, **kwargs):
        used.append(real_create.__name__)
        return real_create(**kwargs)

    patch_member_creation(monkeypatch, noted)
    return used


def test_a_preview_made_today_is_written_by_the_database_on_postgresql(tree, monkeypatch):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv(_newcomers(tree)))
    used = _service_used(monkeypatch)

    services.import_job_commit(actor=officer, job=job)

    in_database = connection.vendor == "postgresql"
    assert used == ["members_create_from_import_rows" if in_database else "members_bulk_create"]
    assert Member.objects.filter(unit__path__startswith=tree.commune_a.path).count() >= 3


def test_the_rollout_figures_count_each_new_member_by_status_and_eligibility(tree):
    # Given new members of two cells: current and eligible (three), current and exempt (so not eligible), deceased
    officer = tree.users["officer_a"]
    header = [*HEADER, "Trạng thái"]
    rows = [
        [*row_for(member_data(unit=tree.cell_a1), number=1, cell_code=tree.cell_a1.code), "Đang sinh hoạt"],
        [
            *row_for(member_data(unit=tree.cell_a1), number=2, cell_code=tree.cell_a1.code),
            "Miễn công tác và sinh hoạt đảng",
        ],
        [*row_for(member_data(unit=tree.cell_a2), number=3, cell_code=tree.cell_a2.code), "Đang sinh hoạt"],
        [*row_for(member_data(unit=tree.cell_a2), number=4, cell_code=tree.cell_a2.code), "Đã từ trần"],
        [*row_for(member_data(unit=tree.cell_a1), number=5, cell_code=tree.cell_a1.code), "Đang sinh hoạt"],
    ]
    job = preview(officer, tree.commune_a, roster_csv(rows, header=header))
    assert job.new_count == 5, errors_of(job)
    before = {unit: unit_figures(unit=unit) for unit in (tree.cell_a1, tree.cell_a2, tree.commune_a)}

    # When the import is applied
    services.import_job_commit(actor=officer, job=job)

    # Then each cell and the commune count the current members, and the eligible ones among them
    added = {
        unit: (unit_figures(unit=unit).members - figures.members, unit_figures(unit=unit).eligible - figures.eligible)
        for unit, figures in before.items()
    }
    assert added == {tree.cell_a1: (3, 2), tree.cell_a2: (1, 1), tree.commune_a: (4, 3)}
    # and every figure of every unit is what a recount finds
    assert find_differences() == []


def test_a_preview_made_on_another_day_is_checked_again_by_the_services(tree, monkeypatch):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv(_newcomers(tree)))
    job.previewed_at = timezone.now() - datetime.timedelta(days=1)
    job.save(update_fields=["previewed_at"])
    used = _service_used(monkeypatch)

    job = services.import_job_commit(actor=officer, job=job)

    assert used == ["members_bulk_create"]
    assert job.state == ImportState.COMMITTED and job.applied_rows == 3


def test_a_cell_closed_since_the_preview_refuses_the_batch(tree):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv(_newcomers(tree)))
    Unit.objects.filter(pk=tree.cell_a1.pk).update(closed_on=timezone.localdate())

    job = services.import_job_commit(actor=officer, job=job)

    assert job.state == ImportState.FAILED and tree.cell_a1.name in job.error
    assert job.applied_rows == 0
    assert not Member.objects.filter(card_number__in=[row[6] for row in _newcomers(tree)]).exists()


def test_the_database_snapshot_is_refused_for_a_model_whose_fields_it_writes_otherwise():
    # A change-log row has a date and time, which to_jsonb and json_ready write differently.
    with pytest.raises(ValueError):
        bulk_creation_log_in_database(
            actor=None, model=ChangeLog, ids=[], reason="", repr_column="object_repr", unit_column="unit_id"
        )


def test_a_residence_area_given_by_its_code_is_written_with_the_member(tree):
    officer = tree.users["officer_a"]
    data = member_data(unit=tree.cell_a2)
    header = [*HEADER, "Mã thôn/tổ dân phố"]
    job = preview(officer, tree.commune_a, roster_csv([[*row_for(data), tree.village_a1.code]], header=header))
    assert job.new_count == 1

    services.import_job_commit(actor=officer, job=job)

    member = Member.objects.get(card_number=data["card_number"])
    assert member.residence_area == tree.village_a1
    assert ChangeLog.objects.for_object(member).get().postchange_data["residence_area_id"] == tree.village_a1.pk


def test_rows_previewed_without_a_stored_record_are_built_again_by_the_services(tree, monkeypatch):
    # A preview made before the records were stored (or by another version) leaves them empty.
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv(_newcomers(tree)))
    job.rows.update(new_record=None)
    used = _service_used(monkeypatch)

    job = services.import_job_commit(actor=officer, job=job)

    assert used == ["members_bulk_create"]
    assert job.state == ImportState.COMMITTED and job.applied_rows == 3
