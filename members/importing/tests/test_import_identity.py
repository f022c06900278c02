"""The roster import puts identity first (a row that names another person waits for the officer's decision) and
names every problem of a row, each with its column."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import ChangeLog
from members.choices import ImportRowDecision, ImportRowKind, ImportState
from members.importing import services
from members.importing.tests.test_import import (  # noqa: F401
    errors_of,
    messages_of,
    preview,
    private_media,
    recorded_of,
    roster_csv,
    row_for,
)
from members.models import ImportRow, Member
from members.tests.factories import make_member, member_data


def another_person(member) -> dict:
    # Born the same year (the citizen ID's year digits still fit), on another day.
    born = member.date_of_birth
    return {"full_name": "Lê Thanh Lan", "date_of_birth": born.replace(day=1 if born.day != 1 else 2)}


def conflicting_job(tree):
    """A previewed roster whose one row carries member A1's card number but another person's name and birth."""
    with translation.override("en"):
        return preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv([row_for(tree.member_a1, **another_person(tree.member_a1))]),
        )


def test_a_row_naming_another_person_under_a_members_number_is_an_identity_conflict(tree):
    job = conflicting_job(tree)

    row = job.rows.get()
    assert row.kind == ImportRowKind.CONFLICT
    assert (job.conflict_count, job.changed_count) == (1, 0)
    assert row.member == tree.member_a1
    [conflict] = row.errors
    assert conflict["conflict"] is True
    assert conflict["column"] == "G · Số thẻ đảng viên"
    assert "Nguyễn Văn An" in conflict["message"] and "Lê Thanh Lan" in conflict["message"]


def test_the_same_name_written_differently_with_another_birth_date_is_an_ordinary_change(tree):
    # Given the member's own name without diacritics and in capitals: one of the two differs, not both
    with translation.override("en"):
        job = preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv(
                [
                    row_for(
                        tree.member_a1,
                        full_name="NGUYEN  VAN AN",
                        date_of_birth=another_person(tree.member_a1)["date_of_birth"],
                    )
                ]
            ),
        )

    assert job.rows.get().kind == ImportRowKind.CHANGED
    assert job.conflict_count == 0


def test_an_undecided_identity_conflict_stops_the_commit_and_changes_nobody(tree):
    job = conflicting_job(tree)
    before = Member.objects.values().get(pk=tree.member_a1.pk)

    with pytest.raises(ValidationError, match="identity conflict"):
        services.import_job_commit(actor=tree.users["officer_a"], job=job)

    assert Member.objects.values().get(pk=tree.member_a1.pk) == before


def test_same_person_applies_the_row_as_an_update_and_logs_the_decision(tree):
    officer = tree.users["officer_a"]
    job = conflicting_job(tree)

    row = services.import_row_decide(actor=officer, row=job.rows.get(), decision=ImportRowDecision.SAME_PERSON)
    job = services.import_job_commit(actor=officer, job=job)

    assert (row.kind, row.decision, row.decided_by) == (ImportRowKind.CHANGED, ImportRowDecision.SAME_PERSON, officer)
    assert job.state == ImportState.COMMITTED
    expected = another_person(tree.member_a1)
    member = Member.objects.get(pk=tree.member_a1.pk)
    assert (member.full_name, member.date_of_birth) == (expected["full_name"], expected["date_of_birth"])
    entry = ChangeLog.objects.get(object_id=row.pk, postchange_data__decision=ImportRowDecision.SAME_PERSON)
    assert entry.actor == officer
    assert entry.prechange_data == {"decision": "", "kind": ImportRowKind.CONFLICT}


@pytest.mark.parametrize("decision", [ImportRowDecision.DIFFERENT_PERSON, ImportRowDecision.SKIP])
def test_different_person_or_skip_is_recorded_and_the_member_is_left_as_it_was(tree, decision):
    officer = tree.users["officer_a"]
    job = conflicting_job(tree)
    before = Member.objects.values().get(pk=tree.member_a1.pk)

    row = services.import_row_decide(actor=officer, row=job.rows.get(), decision=decision)
    job = services.import_job_commit(actor=officer, job=job)

    assert (row.kind, row.decision) == (ImportRowKind.CONFLICT, decision)
    job.refresh_from_db()
    assert job.applied_through < row.pk
    assert Member.objects.values().get(pk=tree.member_a1.pk) == before
    assert ChangeLog.objects.filter(object_id=row.pk, postchange_data__decision=decision, actor=officer).exists()


def test_a_decision_can_be_taken_back_before_the_commit(tree):
    officer = tree.users["officer_a"]
    job = conflicting_job(tree)
    row = services.import_row_decide(actor=officer, row=job.rows.get(), decision=ImportRowDecision.SAME_PERSON)

    row = services.import_row_decide(actor=officer, row=row, decision=ImportRowDecision.SKIP)

    job.refresh_from_db()
    assert row.kind == ImportRowKind.CONFLICT
    assert (job.conflict_count, job.changed_count) == (1, 0)


def test_identifiers_of_two_members_are_a_conflict_that_cannot_be_applied_as_the_same_person(tree):
    officer = tree.users["officer_a"]
    with translation.override("en"):
        job = preview(
            officer, tree.commune_a, roster_csv([row_for(tree.member_a1, citizen_id=tree.member_a2.citizen_id)])
        )
    row = job.rows.get()
    assert row.kind == ImportRowKind.CONFLICT

    with pytest.raises(ValidationError, match="two different members"):
        services.import_row_decide(actor=officer, row=row, decision=ImportRowDecision.SAME_PERSON)

    assert ImportRow.objects.get(pk=row.pk).decision == ""


def test_an_officer_of_another_commune_cannot_decide(tree):
    job = conflicting_job(tree)

    with pytest.raises(PermissionDenied):
        services.import_row_decide(
            actor=tree.users["officer_b"], row=job.rows.get(), decision=ImportRowDecision.SAME_PERSON
        )

    assert ImportRow.objects.get(job=job).decision == ""


def test_the_preview_page_lists_the_conflicts_first_and_the_decision_form_records_the_choice(client, tree):
    job = conflicting_job(tree)
    client.force_login(tree.users["officer_a"])

    page = client.get(f"/members/import/{job.pk}/")
    row = job.rows.get()
    response = client.post(
        f"/members/import/{job.pk}/rows/{row.pk}/decision/", {"decision": ImportRowDecision.DIFFERENT_PERSON}
    )

    assert page.context["kind"] == ImportRowKind.CONFLICT
    assert b'data-count="conflict">1<' in page.content
    assert response.status_code == 302
    assert ImportRow.objects.get(pk=row.pk).decision == ImportRowDecision.DIFFERENT_PERSON


# -- every problem of a row ------------------------------------------------------------------------------------


def test_a_row_with_three_problems_shows_three_messages_each_with_its_column(tree):
    newcomer = member_data(unit=tree.cell_a2)
    row = row_for(newcomer, phone="0900")
    row[3] = "31/02/1990"  # no such day
    row[4], row[5] = "01/06/2010", "01/06/2009"  # made official before joining

    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row]))

    assert sorted((column, message) for _row, column, message in messages_of(job)) == [
        ("D · Ngày sinh", "31/02/1990 is not a date."),
        ("F · Ngày chính thức", "The date made official must be after the date of joining."),
        (
            "J · Số điện thoại",
            "Enter a Vietnamese phone number of 10 or 11 digits starting with 0, e.g. 0912345678.",
        ),
    ]


def test_an_eleven_digit_citizen_id_is_reported_not_padded(tree):
    newcomer = member_data(unit=tree.cell_a2)

    with translation.override("en"):
        job = preview(
            tree.users["officer_a"], tree.commune_a, roster_csv([row_for(newcomer, citizen_id="01234567890")])
        )

    assert messages_of(job) == [(2, "H · Số CCCD", "A citizen ID has exactly 12 digits.")]
    assert job.rows.get(row_number=2).data["citizen_id"] == "01234567890"
    assert not Member.objects.filter(citizen_id="001234567890").exists()


def test_each_part_of_a_citizen_id_that_does_not_fit_is_its_own_message(tree):
    # Given a man born in 1990 whose number has no province 999, a woman's fourth digit and the year 85
    newcomer = member_data(unit=tree.cell_a2, sex="male", date_of_birth=datetime.date(1990, 5, 1))

    with translation.override("en"):
        job = preview(
            tree.users["officer_a"], tree.commune_a, roster_csv([row_for(newcomer, citizen_id="999185123456")])
        )

    messages = [message for _row, column, message in recorded_of(job) if column == "H · Số CCCD"]
    assert messages == [
        "999 is not a province code: the first three digits of a citizen ID name the province.",
        "The fourth digit of the citizen ID is for a female, but the record says male.",
        "Digits 5–6 of the citizen ID (85) do not match the year of birth 1990.",
    ]


def test_an_in_file_duplicate_does_not_skip_the_rows_other_checks(tree):
    first = member_data(unit=tree.cell_a2)
    second = member_data(unit=tree.cell_a2, card_number=first["card_number"])

    with translation.override("en"):
        job = preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv([row_for(first), row_for(second, number=2, phone="0900")]),
        )

    assert [column for row, column, _message in messages_of(job) if row == 3] == [
        "G · Số thẻ đảng viên",
        "J · Số điện thoại",
    ]
    assert job.rows.get(row_number=3).kind == ImportRowKind.DUPLICATE


def test_the_earlier_row_of_a_duplicate_unchanged_on_record_names_the_later_one(tree):
    with translation.override("en"):
        job = preview(
            tree.users["officer_a"],
            tree.commune_a,
            roster_csv(
                [
                    row_for(tree.member_a1),
                    row_for(make_member(unit=tree.cell_a2), number=2, card_number=tree.member_a1.card_number),
                ]
            ),
        )

    first = job.rows.get(row_number=2)
    assert (first.kind, first.kind_if_kept) == (ImportRowKind.DUPLICATE, ImportRowKind.UNCHANGED)
    assert first.member == tree.member_a1
    assert [error["message"] for error in first.errors] == [
        f"The party card number {tree.member_a1.card_number} is also on row 3: say which row holds it."
    ]
    # The later row also names two members (the card of one, the citizen ID of the other): a conflict.
    assert (job.unchanged_count, job.duplicate_count, job.conflict_count) == (0, 1, 1)
