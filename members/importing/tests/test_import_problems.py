"""Every member is kept: problems that only break a rule of the record are recorded on the member (and listed on
the data-quality worklist) instead of keeping them out; rows that cannot be identified or placed wait for a
decision, which survives a new preview; columns are checked against their values; rows are corrected in the
preview."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import ChangeLog
from members.choices import ImportRowDecision, ImportRowKind, MemberReviewFlagKind
from members.importing import services
from members.importing.tests.test_import import (  # noqa: F401
    HEADER,
    messages_of,
    preview,
    private_media,
    roster_csv,
    roster_xlsx,
    row_for,
)
from members.models import Member, MemberReviewFlag
from members.quality import checks
from members.services import member_create, member_update
from members.tests.factories import member_data
from rollout.models import UnitFigures

BAD_CITIZEN_ID = "999185123456"  # no province 999, a woman's fourth digit, year 85


def figures_of(unit) -> int:
    return UnitFigures.objects.filter(unit=unit).values_list("members", flat=True).first() or 0


def open_flags(member) -> list[tuple[str, str]]:
    flags = MemberReviewFlag.objects.filter(
        member=member, kind=MemberReviewFlagKind.IMPORT_PROBLEM, resolved_at__isnull=True
    )
    return sorted(flags.values_list("field", "detail"))


def imported_with_bad_citizen_id(tree):
    """A newcomer, a man born in 1990, imported and applied with a citizen ID that fails three checks."""
    officer = tree.users["officer_a"]
    newcomer = member_data(unit=tree.cell_a2, sex="male", date_of_birth=datetime.date(1990, 5, 1))
    with translation.override("en"):
        job = preview(officer, tree.commune_a, roster_csv([row_for(newcomer, citizen_id=BAD_CITIZEN_ID)]))
        job = services.import_job_commit(actor=officer, job=job)
    return job, Member.objects.get(card_number=newcomer["card_number"])


# -- recorded problems ------------------------------------------------------------------------------------------


def test_a_member_with_an_invalid_citizen_id_is_in_the_registry_counted_and_on_the_worklist(tree):
    # Given the cell's figure before the import
    counted_before = figures_of(tree.cell_a2)

    # When a newcomer with an invalid citizen ID is imported
    job, member = imported_with_bad_citizen_id(tree)

    # Then the member is in the registry with the number as written, counted in the figures
    assert (job.new_count, job.error_count, job.recorded_count) == (1, 0, 1)
    assert member.citizen_id == BAD_CITIZEN_ID
    assert figures_of(tree.cell_a2) == counted_before + 1
    # And each problem is recorded on the member, named
    [(field, detail)] = open_flags(member)
    assert field == "citizen_id"
    assert "999 is not a province code" in detail
    # And the data-quality worklist lists them, by the number's own check and as a problem recorded at import
    checks.quality_refresh()
    report = checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a)
    listed = {finding.check_code for finding in report.problems.filter(member_id=member.pk)}
    assert {"invalid_citizen_id", "recorded_at_import"} <= listed


def test_dates_out_of_order_and_joining_before_18_are_recorded_and_the_member_applied(tree):
    officer = tree.users["officer_a"]
    newcomer = member_data(unit=tree.cell_a2, date_of_birth=datetime.date(1990, 1, 1))
    row = row_for(newcomer)
    row[4], row[5] = "01/06/2000", "01/06/1999"  # joined at 10, made official before joining

    with translation.override("en"):
        job = preview(officer, tree.commune_a, roster_csv([row]))
        job = services.import_job_commit(actor=officer, job=job)

    member = Member.objects.get(card_number=newcomer["card_number"])
    assert (member.joined_on, member.official_on) == (datetime.date(2000, 6, 1), datetime.date(1999, 6, 1))
    assert [field for field, _detail in open_flags(member)] == ["joined_on", "official_on"]


def test_a_changed_member_keeps_a_recorded_problem_and_gets_its_flag(tree):
    officer = tree.users["officer_a"]
    member = tree.member_a1
    wrong = f"999{member.citizen_id[3:]}"  # a province code that does not exist

    with translation.override("en"):
        job = preview(officer, tree.commune_a, roster_csv([row_for(member, citizen_id=wrong)]))
        job = services.import_job_commit(actor=officer, job=job)

    assert (job.changed_count, job.recorded_count) == (1, 1)
    member.refresh_from_db()
    assert member.citizen_id == wrong
    assert [field for field, _detail in open_flags(member)] == ["citizen_id"]


def test_a_recorded_problem_does_not_block_other_edits_and_is_resolved_when_corrected(tree):
    _job, member = imported_with_bad_citizen_id(tree)
    officer = tree.users["officer_a"]

    # When the officer edits another field, the flagged number as it is does not refuse the edit
    member = member_update(actor=officer, member=member, data={"phone": "0912000111"})
    assert open_flags(member)
    # But writing another wrong number is refused: an edit is checked in full
    with pytest.raises(ValidationError):
        member_update(actor=officer, member=member, data={"citizen_id": "999085000001"})
    # And correcting it resolves the flag
    member_update(actor=officer, member=member, data={"citizen_id": "001090000777"})
    assert open_flags(member) == []


def test_an_ordinary_edit_still_refuses_an_invalid_citizen_id(tree):
    with pytest.raises(ValidationError):
        member_create(actor=tree.users["officer_a"], data=member_data(unit=tree.cell_a2, citizen_id=BAD_CITIZEN_ID))


def test_a_row_that_cannot_be_placed_still_waits_and_names_its_recorded_problems_too(tree):
    newcomer = member_data(unit=tree.cell_a2, sex="male", date_of_birth=datetime.date(1990, 5, 1))

    with translation.override("en"):
        job = preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv([row_for(newcomer, citizen_id=BAD_CITIZEN_ID, cell_code="XA-C9")]),
        )

    row = job.rows.get(row_number=2)
    assert row.kind == ImportRowKind.ERROR
    assert len(row.recorded_problems) == 3 and row.errors


# -- number and person checks -------------------------------------------------------------------------------------


def test_a_number_cell_that_lost_its_leading_zero_is_a_visible_warning(tree):
    newcomer = member_data(unit=tree.cell_a2)
    row = row_for(newcomer)
    row[7] = int(newcomer["citizen_id"])  # the spreadsheet keeps it as a number: "001…" → 1…

    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_xlsx([row]), name="roster.xlsx")

    stored = job.rows.get(row_number=2)
    assert stored.kind == ImportRowKind.NEW
    assert stored.data["citizen_id"] == newcomer["citizen_id"]
    [warning] = stored.errors
    assert warning["warning"] and warning["column"] == "H · Số CCCD"
    assert "drops leading zeros" in warning["message"]


def test_the_same_person_twice_in_the_file_and_in_the_registry_is_flagged_at_preview(tree):
    # Given member A1 on record, and a file with A1 under new numbers, twice
    a1 = tree.member_a1
    with translation.override("en"):
        job = preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv(
                [
                    row_for(a1, card_number="91000001", citizen_id=""),
                    row_for(a1, number=2, card_number="91000002", citizen_id=""),
                ]
            ),
        )

    first, second = job.rows.get(row_number=2), job.rows.get(row_number=3)
    assert (first.kind, second.kind) == (ImportRowKind.NEW, ImportRowKind.NEW)
    assert any("already in the registry" in error["message"] for error in first.errors)
    assert any("same person as row 2" in error["message"] for error in second.errors)


# -- in-file duplicates and decisions ------------------------------------------------------------------------------


def duplicated_job(tree):
    first = member_data(unit=tree.cell_a2)
    second = member_data(unit=tree.cell_a2, citizen_id=first["citizen_id"], sex=first["sex"])
    second["date_of_birth"] = first["date_of_birth"]
    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(first), row_for(second, number=2)]))
    return job, first, second


def test_two_rows_sharing_a_citizen_id_wait_and_stop_the_commit(tree):
    job, first, second = duplicated_job(tree)

    assert job.duplicate_count == 2
    with pytest.raises(ValidationError, match="share a number"):
        services.import_job_commit(actor=tree.users["officer_a"], job=job)
    assert not Member.objects.filter(citizen_id=first["citizen_id"]).exists()


def test_keeping_one_row_of_a_duplicate_applies_it_and_skips_the_other(tree):
    officer = tree.users["officer_a"]
    job, first, second = duplicated_job(tree)

    services.import_row_decide(actor=officer, row=job.rows.get(row_number=3), decision=ImportRowDecision.KEEP)
    job.refresh_from_db()

    assert (job.duplicate_count, job.new_count) == (1, 1)
    assert job.rows.get(row_number=2).decision == ImportRowDecision.SKIP
    job = services.import_job_commit(actor=officer, job=job)
    assert Member.objects.get(citizen_id=first["citizen_id"]).card_number == second["card_number"]
    assert not Member.objects.filter(card_number=first["card_number"]).exists()
    assert ChangeLog.objects.filter(object_id=job.rows.get(row_number=2).pk).exists()


def test_decisions_survive_a_new_preview(tree):
    officer = tree.users["officer_a"]
    job, _first, second = duplicated_job(tree)
    services.import_row_decide(actor=officer, row=job.rows.get(row_number=3), decision=ImportRowDecision.KEEP)

    job = services.import_job_preview(actor=officer, job=job)

    kept, skipped = job.rows.get(row_number=3), job.rows.get(row_number=2)
    assert (kept.kind, kept.decision, kept.decided_by) == (ImportRowKind.NEW, ImportRowDecision.KEEP, officer)
    assert (skipped.kind, skipped.decision) == (ImportRowKind.DUPLICATE, ImportRowDecision.SKIP)
    assert (job.duplicate_count, job.new_count) == (1, 1)


def test_an_identity_decision_survives_a_new_preview_but_not_a_changed_row(tree):
    officer = tree.users["officer_a"]
    born = tree.member_a1.date_of_birth
    other = {"full_name": "Lê Thanh Lan", "date_of_birth": born.replace(day=1 if born.day != 1 else 2)}
    with translation.override("en"):
        job = preview(officer, tree.commune_a, roster_csv([row_for(tree.member_a1, **other)]))
    row = job.rows.get(row_number=2)
    services.import_row_decide(actor=officer, row=row, decision=ImportRowDecision.DIFFERENT_PERSON)

    job = services.import_job_preview(actor=officer, job=job)
    assert job.rows.get(row_number=2).decision == ImportRowDecision.DIFFERENT_PERSON

    # When the row is corrected in the preview, the decision no longer applies to it
    name_column = next(index for index, field in job.mapping.items() if field == "full_name")
    job = services.import_row_edit(actor=officer, row=job.rows.get(row_number=2), cells={name_column: "Lê Thanh Lành"})
    job = services.import_job_preview(actor=officer, job=job)
    assert job.rows.get(row_number=2).decision == ""


# -- columns checked against their values ------------------------------------------------------------------------


def swapped_job(tree):
    """A roster whose "Ngày sinh" and "Số điện thoại" headers are swapped over their columns."""
    header = list(HEADER)
    header[3], header[9] = header[9], header[3]
    rows = []
    for number in range(1, 6):
        data = member_data(unit=tree.cell_a2)
        rows.append(row_for(data, number=number))
    with translation.override("en"):
        return preview(tree.users["officer_a"], tree.commune_a, roster_csv(rows, header=header))


def test_a_column_whose_values_fit_another_field_is_named_with_that_field(tree):
    job = swapped_job(tree)

    assert job.error_count == 5
    offered = {(warning["field"], warning["suggested"]) for warning in job.column_warnings}
    assert ("phone", "date_of_birth") in offered or ("date_of_birth", "phone") in offered


def test_remapping_the_offered_field_swaps_the_columns_and_the_rows_check_again(tree):
    officer = tree.users["officer_a"]
    job = swapped_job(tree)
    warning = job.column_warnings[0]

    job = services.import_job_remap_column(actor=officer, job=job, index=warning["index"], field=warning["suggested"])
    job = services.import_job_preview(actor=officer, job=job)

    assert (job.new_count, job.error_count, job.column_warnings) == (5, 0, [])


# -- rows corrected in the preview -------------------------------------------------------------------------------


def test_a_row_corrected_in_the_preview_is_checked_again_without_a_new_file(tree):
    officer = tree.users["officer_a"]
    newcomer = member_data(unit=tree.cell_a2)
    with translation.override("en"):
        job = preview(officer, tree.commune_a, roster_csv([row_for(newcomer, date_of_birth="31/02/1990")]))
    row = job.rows.get(row_number=2)
    assert row.kind == ImportRowKind.ERROR
    born_column = next(index for index, field in job.mapping.items() if field == "date_of_birth")
    assert row.cells[born_column] == "31/02/1990"

    job = services.import_row_edit(
        actor=officer, row=row, cells={born_column: newcomer["date_of_birth"].strftime("%d/%m/%Y")}
    )
    job = services.import_job_preview(actor=officer, job=job)

    assert (job.new_count, job.error_count) == (1, 0)
    entry = ChangeLog.objects.filter(object_id=job.pk).latest("pk")
    assert entry.postchange_data["cells"] == {born_column: newcomer["date_of_birth"].strftime("%d/%m/%Y")}
    services.import_job_commit(actor=officer, job=job)
    assert Member.objects.get(card_number=newcomer["card_number"]).date_of_birth == newcomer["date_of_birth"]


def test_a_correction_that_changes_nothing_is_refused(tree):
    officer = tree.users["officer_a"]
    with translation.override("en"):
        job = preview(
            officer,
            tree.commune_a,
            roster_csv([row_for(member_data(unit=tree.cell_a2), date_of_birth="31/02/1990")]),
        )
    row = job.rows.get(row_number=2)

    with pytest.raises(ValidationError):
        services.import_row_edit(actor=officer, row=row, cells=dict(row.cells))


def test_an_officer_of_another_commune_cannot_correct_a_row(tree):
    officer = tree.users["officer_a"]
    with translation.override("en"):
        job = preview(
            officer,
            tree.commune_a,
            roster_csv([row_for(member_data(unit=tree.cell_a2), date_of_birth="31/02/1990")]),
        )
    row = job.rows.get(row_number=2)

    with pytest.raises(PermissionDenied):
        services.import_row_edit(actor=tree.users["officer_b"], row=row, cells={"1": "Tên Khác"})
    job.refresh_from_db()
    assert job.cell_edits == {}


# -- the preview page ----------------------------------------------------------------------------------------------


def test_the_preview_page_shows_both_rows_of_a_duplicate_side_by_side_and_keeps_one(client, tree):
    client.force_login(tree.users["officer_a"])
    job, first, second = duplicated_job(tree)

    response = client.get(reverse("members:import_detail", args=[job.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "side-by-side" in page and first["full_name"] in page and second["full_name"] in page
    row = job.rows.get(row_number=3)
    client.post(reverse("members:import_row_decide", args=[job.pk, row.pk]), {"decision": "keep"})
    assert job.rows.get(row_number=3).kind == ImportRowKind.NEW


def test_the_preview_page_offers_the_field_a_column_fits_and_one_click_remaps_it(client, tree):
    client.force_login(tree.users["officer_a"])
    job = swapped_job(tree)

    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert "column-warning" in page
    warning = job.column_warnings[0]
    client.post(
        reverse("members:import_remap_column", args=[job.pk]),
        {"column": warning["index"], "field": warning["suggested"]},
    )

    job.refresh_from_db()
    assert (job.new_count, job.error_count, job.column_warnings) == (5, 0, [])


def test_a_row_is_corrected_on_the_preview_page(client, tree):
    client.force_login(tree.users["officer_a"])
    newcomer = member_data(unit=tree.cell_a2)
    job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(newcomer, date_of_birth="31/02/1990")]))
    row = job.rows.get(row_number=2)
    born_column = next(index for index, field in job.mapping.items() if field == "date_of_birth")
    page = client.get(reverse("members:import_detail", args=[job.pk]) + "?kind=error").content.decode()
    assert f'name="cell-{born_column}"' in page

    client.post(
        reverse("members:import_row_edit", args=[job.pk, row.pk]),
        {f"cell-{born_column}": newcomer["date_of_birth"].strftime("%d/%m/%Y")},
    )

    job.refresh_from_db()
    assert (job.new_count, job.error_count, job.cell_edits) == (
        1,
        0,
        {"2": {born_column: newcomer["date_of_birth"].strftime("%d/%m/%Y")}},
    )
