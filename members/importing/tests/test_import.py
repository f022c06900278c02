"""The roster import: reading, header recognition, preview (diff and errors), commit, scope, idempotence."""

import csv
import datetime
import functools
import io
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from audit.choices import ChangeSource
from audit.models import ChangeLog
from members.choices import ImportRowKind, ImportState, MemberReviewFlagKind, MemberStatus
from members.importing import selectors, services
from members.models import ImportJob, ImportRow, Member, MemberReviewFlag
from members.services import member_update
from members.tests.factories import make_member, member_data

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Mã chi bộ",
    "Số điện thoại",
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def row_for(member_or_data, *, number: int = 1, cell_code: str | None = None, **changes) -> list:
    """A roster row (HEADER layout) for a member record or a factory `member_data` dict."""
    get = member_or_data.get if isinstance(member_or_data, dict) else lambda name: getattr(member_or_data, name)
    values = {
        name: get(name)
        for name in (
            "full_name",
            "sex",
            "date_of_birth",
            "joined_on",
            "official_on",
            "card_number",
            "citizen_id",
            "phone",
        )
    }
    values.update(changes)
    unit = get("unit")
    return [
        number,
        values["full_name"],
        "Nam" if values["sex"] == "male" else "Nữ",
        values["date_of_birth"] if isinstance(values["date_of_birth"], str) else _date(values["date_of_birth"]),
        _date(values["joined_on"]),
        _date(values["official_on"]),
        values["card_number"] or "",
        values["citizen_id"] or "",
        cell_code if cell_code is not None else unit.code,
        values["phone"],
    ]


def roster_csv(rows: list[list], *, header=HEADER, encoding="utf-8") -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    writer.writerows(rows)
    return output.getvalue().encode(encoding)


def roster_xlsx(rows: list[list], *, header=HEADER, preamble=(), title="Danh sách") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in preamble:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def start_import(actor, unit, content: bytes, name: str = "roster.csv", **options) -> ImportJob:
    return services.import_job_create(
        actor=actor, unit=unit, uploaded_file=SimpleUploadedFile(name, content), **options
    )


def preview(actor, unit, content: bytes, name: str = "roster.csv", **options) -> ImportJob:
    job = start_import(actor, unit, content, name, **options)
    return services.import_job_preview(actor=actor, job=job)


def errors_of(job) -> list[tuple[int, str, str]]:
    return [
        (row.row_number, error["column"], error["message"])
        for row in job.rows.filter(kind=ImportRowKind.ERROR)
        for error in row.errors
    ]


def messages_of(job) -> list[tuple[int, str, str]]:
    """Every message of every stored row: what keeps it out, and what is recorded on the member it brings."""
    return [
        (row.row_number, error["column"], error["message"])
        for row in job.rows.order_by("row_number")
        for error in row.errors
    ] + [
        (row.row_number, column, message)
        for row in job.rows.order_by("row_number")
        for _field, column, message in row.recorded_problems
    ]


def recorded_of(job) -> list[tuple[int, str, str]]:
    return [
        (row.row_number, column, message)
        for row in job.rows.order_by("row_number")
        for _field, column, message in row.recorded_problems
    ]


def member_rows_fingerprint() -> list:
    return list(Member.objects.order_by("pk").values()) + list(
        ChangeLog.objects.order_by("pk").values_list("pk", flat=True)
    )


# -- header recognition ------------------------------------------------------------------------------------


def test_the_usual_vietnamese_headers_are_recognised(tree):
    # Given a roster with the usual Vietnamese headers
    content = roster_csv([row_for(tree.member_a1)])

    # When it is uploaded
    job = start_import(tree.users["officer_a"], tree.commune_a, content)

    # Then each column is mapped to its field and the row-number column is ignored
    assert job.mapping == {
        "1": "full_name",
        "2": "sex",
        "3": "date_of_birth",
        "4": "joined_on",
        "5": "official_on",
        "6": "card_number",
        "7": "citizen_id",
        "8": "unit_code",
        "9": "phone",
    }
    assert job.state == ImportState.MAPPING


def test_a_mapping_made_by_hand_is_remembered_for_the_next_file(tree):
    # Given an official who mapped an unusual header "Tên ĐV" to the full name
    officer = tree.users["officer_a"]
    header = ["Tên ĐV", "Số thẻ đảng viên", "Mã chi bộ"]
    job = start_import(officer, tree.commune_a, roster_csv([["X", "01234567", "XA-C1"]], header=header))
    services.import_job_set_mapping(
        actor=officer, job=job, mapping={"0": "full_name", "1": "card_number", "2": "unit_code"}
    )

    # When they upload another file with that header
    second = start_import(officer, tree.commune_a, roster_csv([["Y", "01234568", "XA-C1"]], header=header))

    # Then the column is mapped the same way without asking
    assert second.mapping["0"] == "full_name"


def test_a_mapping_without_the_name_or_an_identifier_is_refused(tree):
    officer = tree.users["officer_a"]
    job = start_import(officer, tree.commune_a, roster_csv([row_for(tree.member_a1)]))

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        services.import_job_set_mapping(actor=officer, job=job, mapping={"1": "full_name", "8": "unit_code"})

    assert "Choose the column with the party card number or the citizen ID" in raised.value.messages[0]


# -- preview -------------------------------------------------------------------------------------------------


def test_the_preview_shows_new_changed_unchanged_and_missing_members(tree):
    # Given a roster of cells A1 and A2: member_a1 unchanged, member_a2 with a new phone, one newcomer;
    # a second member of cell A1 is not in the file
    left_out = make_member(unit=tree.cell_a1, full_name="Phạm Văn Vắng")
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    content = roster_csv(
        [
            row_for(tree.member_a1, number=1),
            row_for(tree.member_a2, number=2, phone="0987000111"),
            row_for(newcomer, number=3),
        ]
    )

    # When the officer of commune A previews it
    job = preview(tree.users["officer_a"], tree.commune_a, content)

    # Then the counts and the rows say what would happen, and nothing is written to members
    assert job.state == ImportState.PREVIEWED
    assert (job.new_count, job.changed_count, job.unchanged_count, job.error_count, job.missing_count) == (
        1,
        1,
        1,
        0,
        1,
    )
    changed = job.rows.get(kind=ImportRowKind.CHANGED)
    assert changed.member == tree.member_a2
    assert changed.matched_by == "card_number"
    assert changed.changes == [["phone", tree.member_a2.phone, "0987000111"]]
    assert job.rows.get(kind=ImportRowKind.NEW).full_name == "Đỗ Thị Mới"
    assert job.rows.get(kind=ImportRowKind.MISSING).member == left_out
    assert Member.objects.get(pk=tree.member_a2.pk).phone == tree.member_a2.phone


def test_a_row_without_a_card_number_is_matched_by_citizen_id(tree):
    content = roster_csv([row_for(tree.member_a1, card_number=None, phone="0987000222")])

    job = preview(tree.users["officer_a"], tree.commune_a, content)

    row = job.rows.get(kind=ImportRowKind.CHANGED)
    assert (row.member, row.matched_by) == (tree.member_a1, "citizen_id")


def test_the_preview_lists_each_problem_with_its_row_column_and_message(tree):
    # Given rows with a bad date, an unknown sex and a cell that does not exist
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    bad_date = row_for(newcomer, number=1)
    bad_date[3] = "31/02/1970"
    bad_sex = row_for(member_data(unit=tree.cell_a2), number=2)
    bad_sex[2] = "Không rõ"
    bad_cell = row_for(member_data(unit=tree.cell_a2), number=3, cell_code="XA-C9")

    # When previewed (in English)
    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([bad_date, bad_sex, bad_cell]))

    # Then every problem names its row (the header is row 1) and column
    errors = errors_of(job)
    assert (2, "D · Ngày sinh", "31/02/1970 is not a date.") in errors
    assert any(row == 3 and column == "C · Giới tính" and "is not one of" in message for row, column, message in errors)
    assert (4, "I · Mã chi bộ", "There is no cell with the code “XA-C9” in Đảng bộ xã A.") in errors
    assert job.error_count == 3


def test_the_member_rules_are_checked_in_the_preview_and_recorded_without_keeping_the_member_out(tree):
    # Given a newcomer who joined before 18
    newcomer = member_data(
        unit=tree.cell_a2, date_of_birth=datetime.date(1990, 1, 1), joined_on=datetime.date(2000, 1, 1)
    )

    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(newcomer)]))

    assert (2, "E · Ngày vào Đảng", "A member must be at least 18 years old on the date of joining.") in recorded_of(
        job
    )
    assert (job.new_count, job.error_count, job.recorded_count) == (1, 0, 1)


def test_the_same_card_number_twice_in_a_file_waits_on_both_rows_each_naming_the_other(tree):
    first = member_data(unit=tree.cell_a2)
    second = member_data(unit=tree.cell_a2, card_number=first["card_number"])

    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(first), row_for(second, number=2)]))

    card = first["card_number"]
    assert messages_of(job) == [
        (2, "G · Số thẻ đảng viên", f"The party card number {card} is also on row 3: say which row holds it."),
        (3, "G · Số thẻ đảng viên", f"The party card number {card} is also on row 2: say which row holds it."),
    ]
    assert (job.duplicate_count, job.error_count, job.new_count) == (2, 0, 0)
    assert set(job.rows.exclude(kind=ImportRowKind.MISSING).values_list("kind", "kind_if_kept")) == {
        (ImportRowKind.DUPLICATE, ImportRowKind.NEW)
    }


# -- scope -------------------------------------------------------------------------------------------------------


def test_rows_in_cells_outside_the_importers_scope_are_errors(tree):
    # Given commune A's officer importing a row placed in commune B's cell
    outsider = member_data(unit=tree.cell_b1)

    job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(outsider)]))
    services.import_job_commit(actor=tree.users["officer_a"], job=job)

    assert job.error_count == 1
    assert not Member.objects.filter(card_number=outsider["card_number"]).exists()


def test_a_member_found_by_card_number_and_by_citizen_id_is_read_once(tree, django_assert_num_queries):
    member, other = tree.member_a1, tree.member_b1
    assert member.card_number and member.citizen_id

    # The two look-ups by key, then one read of the members found
    with django_assert_num_queries(3):
        by_card, by_citizen = services._members_by_card_and_citizen(
            {member.card_number, "99999999"}, {member.citizen_id, other.citizen_id}
        )

    assert by_card == {member.card_number: member}
    assert by_citizen == {member.citizen_id: member, other.citizen_id: other}
    assert by_card[member.card_number] is by_citizen[member.citizen_id]
    assert by_citizen[other.citizen_id].unit.path == other.unit.path  # its cell read with it
    assert services._members_by_card_and_citizen({"99999999"}, set()) == ({}, {})


def test_a_member_of_another_commune_cannot_be_changed_through_an_import(tree):
    # Given a row that matches commune B's member by card number but places them in cell A1
    content = roster_csv([row_for(tree.member_b1, cell_code="XA-C1", full_name="Tên Khác")])

    with translation.override("en"):
        job = preview(tree.users["officer_a"], tree.commune_a, content)

    assert any("outside your scope" in message for _row, _column, message in errors_of(job))
    assert job.changed_count == 0


def test_an_import_into_a_unit_outside_the_users_scope_is_refused(tree):
    with pytest.raises(PermissionDenied):
        start_import(tree.users["officer_b"], tree.commune_a, roster_csv([row_for(tree.member_a1)]))
    assert not ImportJob.objects.exists()


# -- commit --------------------------------------------------------------------------------------------------------


def test_the_commit_applies_the_rows_through_the_services_and_names_the_import_in_the_change_log(tree):
    officer = tree.users["officer_a"]
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    content = roster_csv([row_for(tree.member_a2, phone="0987000111"), row_for(newcomer, number=2)])
    job = preview(officer, tree.commune_a, content)

    job = services.import_job_commit(actor=officer, job=job)

    assert job.state == ImportState.COMMITTED
    assert Member.objects.get(pk=tree.member_a2.pk).phone == "0987000111"
    created = Member.objects.get(card_number=newcomer["card_number"])
    assert created.unit == tree.cell_a2
    entries = ChangeLog.objects.filter(source=ChangeSource.IMPORT)
    assert entries.count() == 2
    assert {entry.reason for entry in entries} == {services.import_reason(job)}
    assert {entry.actor for entry in entries} == {officer}


def test_importing_the_same_file_again_changes_nothing(tree):
    officer = tree.users["officer_a"]
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    content = roster_csv([row_for(tree.member_a2, phone="0987000111"), row_for(newcomer, number=2)])
    services.import_job_commit(actor=officer, job=preview(officer, tree.commune_a, content))
    before = member_rows_fingerprint()
    flags = MemberReviewFlag.objects.count()

    again = preview(officer, tree.commune_a, content)
    again = services.import_job_commit(actor=officer, job=again)

    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    assert member_rows_fingerprint() == before
    assert MemberReviewFlag.objects.count() == flags


def test_members_missing_from_the_file_are_flagged_for_review_and_kept(tree):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.cell_a2, roster_csv([row_for(member_data(unit=tree.cell_a2))]))

    services.import_job_commit(actor=officer, job=job)

    flag = MemberReviewFlag.objects.get(member=tree.member_a2)
    assert flag.kind == MemberReviewFlagKind.MISSING_FROM_IMPORT
    assert Member.objects.get(pk=tree.member_a2.pk).status == MemberStatus.ACTIVE


def test_a_failed_commit_leaves_nothing_half_written(tree, monkeypatch):
    # Given a previewed file with a new member and two changes, where the second change will fail
    officer = tree.users["officer_a"]
    third = make_member(unit=tree.cell_a1)
    content = roster_csv(
        [
            row_for(member_data(unit=tree.cell_a2), number=1),
            row_for(tree.member_a2, number=2, phone="0987000111"),
            row_for(third, number=3, phone="0987000333"),
        ]
    )
    job = preview(officer, tree.commune_a, content)
    before = member_rows_fingerprint()
    real_update = services.member_services.members_bulk_update

    def failing_update(**kwargs):
        # The batch's changes are written, then the write fails: the transaction must take them back.
        assert len(real_update(**kwargs)) == 2
        raise ValidationError("disk full")

    monkeypatch.setattr(services.member_services, "members_bulk_update", failing_update)

    # When it is committed
    job = services.import_job_commit(actor=officer, job=job)

    # Then the job failed with the reason and no member or change-log row was written
    assert job.state == ImportState.FAILED
    assert "disk full" in job.error
    assert member_rows_fingerprint() == before


def test_a_record_edited_after_the_preview_is_not_overwritten_and_the_commit_stops(tree):
    # Given a previewed file changing member_a2's phone, and another official changing that phone meanwhile
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv([row_for(tree.member_a2, phone="0987000111")]))
    member_update(actor=tree.users["admin_a"], member=tree.member_a2, data={"phone": "0912000222"}, reason="Sửa")
    before = member_rows_fingerprint()

    # When the stale preview is committed
    with translation.override("en"):
        job = services.import_job_commit(actor=officer, job=job)

    # Then the other edit stands and the official is told to preview again
    assert job.state == ImportState.FAILED
    assert "changed after the preview" in job.error
    assert Member.objects.get(pk=tree.member_a2.pk).phone == "0912000222"
    assert member_rows_fingerprint() == before


def patch_member_creation(monkeypatch, wrapper) -> None:
    """Route the commit's member creation, by whichever service this database uses, through
    `wrapper(real_create, **kwargs)`."""
    for name in ("members_bulk_create", "members_create_from_import_rows"):
        real_create = getattr(services.member_services, name)
        monkeypatch.setattr(services.member_services, name, functools.partial(wrapper, real_create))


def test_a_commit_stopped_half_way_resumes_without_applying_anything_twice(tree, monkeypatch):
    officer = tree.users["officer_a"]
    newcomers = [member_data(unit=tree.cell_a2) for _ in range(3)]
    job = preview(officer, tree.commune_a, roster_csv([row_for(data, number=n) for n, data in enumerate(newcomers)]))
    calls = []

    def crash_on_second_batch(real_create, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError("worker lost")
        return real_create(**kwargs)

    patch_member_creation(monkeypatch, crash_on_second_batch)
    job = services.import_job_commit(actor=officer, job=job, batch_size=1)
    assert job.state == ImportState.FAILED
    assert job.applied_rows == 1

    job = services.import_job_commit(actor=officer, job=job, batch_size=1)

    assert job.state == ImportState.COMMITTED
    assert Member.objects.filter(card_number__in=[data["card_number"] for data in newcomers]).count() == 3
    assert ChangeLog.objects.filter(source=ChangeSource.IMPORT).count() == 3


def test_the_applied_mark_names_the_rows_applied_and_a_resumed_commit_starts_after_it(tree, monkeypatch):
    officer = tree.users["officer_a"]
    newcomers = [member_data(unit=tree.cell_a2) for _ in range(3)]
    # A row in error between the new ones: not applied, and no batch of its own.
    unreadable = row_for(member_data(unit=tree.cell_a2), number=2, date_of_birth="31/02/1990")
    rows = [row_for(newcomers[0], number=1), unreadable]
    rows += [row_for(data, number=n) for n, data in enumerate(newcomers[1:], start=3)]
    job = preview(officer, tree.commune_a, roster_csv(rows))
    assert job.applied_through == 0
    read = job.rows.exclude(kind=ImportRowKind.MISSING).order_by("pk")
    assert [row.kind for row in read] == [ImportRowKind.NEW, ImportRowKind.ERROR, *[ImportRowKind.NEW] * 2]
    new_rows = [row for row in read if row.kind == ImportRowKind.NEW]
    calls = []

    def crash_on_third_batch(real_create, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValidationError("worker lost")
        return real_create(**kwargs)

    patch_member_creation(monkeypatch, crash_on_third_batch)
    job = services.import_job_commit(actor=officer, job=job, batch_size=1)

    assert (job.state, job.applied_rows) == (ImportState.FAILED, 2)
    job.refresh_from_db()
    assert job.applied_through == new_rows[1].pk
    written = {data["card_number"] for data in newcomers[:2]}
    assert {member.card_number for member in selectors.import_job_members(job=job)} == written

    job = services.import_job_commit(actor=officer, job=job, batch_size=1)

    assert (job.state, job.applied_rows) == (ImportState.COMMITTED, 3)
    job.refresh_from_db()
    assert job.applied_through == new_rows[2].pk
    assert len(calls) == 4  # the resumed commit wrote the third row only
    cards = {data["card_number"] for data in newcomers}
    assert {member.card_number for member in selectors.import_job_members(job=job)} == cards
    assert ChangeLog.objects.filter(source=ChangeSource.IMPORT).count() == 3


# -- values ---------------------------------------------------------------------------------------------------------


def test_excel_dates_serial_numbers_and_text_dates_are_all_read(tree):
    newcomer = member_data(
        unit=tree.cell_a2, date_of_birth=datetime.date(1960, 3, 25), joined_on=datetime.date(1990, 5, 19)
    )
    row = row_for(newcomer)
    row[3] = 22000  # Excel's serial for 25/03/1960
    row[4] = datetime.datetime(1990, 5, 19)
    officer = tree.users["officer_a"]

    job = preview(officer, tree.commune_a, roster_xlsx([row]), "roster.xlsx")
    services.import_job_commit(actor=officer, job=job)

    created = Member.objects.get(card_number=newcomer["card_number"])
    assert (created.date_of_birth, created.joined_on) == (datetime.date(1960, 3, 25), datetime.date(1990, 5, 19))


def test_a_year_only_date_of_birth_is_stored_as_1_january_with_a_review_flag(tree):
    newcomer = member_data(unit=tree.cell_a2, date_of_birth=datetime.date(1958, 1, 1))
    officer = tree.users["officer_a"]

    job = preview(officer, tree.commune_a, roster_csv([row_for(newcomer, date_of_birth="1958")]))
    services.import_job_commit(actor=officer, job=job)

    created = Member.objects.get(card_number=newcomer["card_number"])
    assert created.date_of_birth == datetime.date(1958, 1, 1)
    flag = MemberReviewFlag.objects.get(member=created)
    assert (flag.kind, flag.field) == (MemberReviewFlagKind.PARTIAL_DATE, "date_of_birth")


def test_a_year_only_date_matching_the_year_on_record_is_not_a_change(tree):
    year = str(tree.member_a1.date_of_birth.year)

    job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(tree.member_a1, date_of_birth=year)]))

    assert (job.unchanged_count, job.changed_count) == (1, 0)


def test_an_xlsx_roster_with_a_title_above_the_header_is_read(tree):
    content = roster_xlsx(
        [row_for(tree.member_a1, phone="0987000444")], preamble=[["DANH SÁCH ĐẢNG VIÊN"], ["Chi bộ thôn 1"], []]
    )

    job = preview(tree.users["officer_a"], tree.commune_a, content, "7-hsdv.xlsx")

    assert job.header_row == 4
    assert job.rows.get(kind=ImportRowKind.CHANGED).changes == [["phone", tree.member_a1.phone, "0987000444"]]


def test_identifiers_typed_as_numbers_get_their_leading_zeros_back(tree):
    row = row_for(tree.member_a1)
    row[6] = int(tree.member_a1.card_number)
    row[7] = int(tree.member_a1.citizen_id)
    row[9] = int(tree.member_a1.phone)

    job = preview(tree.users["officer_a"], tree.commune_a, roster_xlsx([row]), "roster.xlsx")

    assert (job.unchanged_count, job.error_count) == (1, 0)


# -- malformed files --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("junk.xlsx", bytes(range(256)) * 40, "The file is named .xlsx but is not an Excel workbook."),
        ("junk.csv", b"\x00\x01\x02binary" * 100, "The file is not a spreadsheet or a CSV text file."),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 500, "The file is named .xlsx but is not an Excel workbook."),
        ("nothing.csv", b"a,b,c\n1,2,3\n", "No sheet of the file has a header row we recognise"),
    ],
)
def test_a_malformed_file_gives_a_clear_error_and_writes_nothing(tree, name, content, message):
    before = member_rows_fingerprint()

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        start_import(tree.users["officer_a"], tree.commune_a, content, name)

    assert raised.value.message_dict["file"][0].startswith(message)
    assert not ImportJob.objects.exists()
    assert member_rows_fingerprint() == before


def test_a_sheet_name_that_does_not_exist_is_a_clear_error(tree):
    content = roster_xlsx([row_for(tree.member_a1)], title="Chi bộ 1")

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        start_import(tree.users["officer_a"], tree.commune_a, content, "roster.xlsx", sheet_name="Sheet9")

    assert raised.value.message_dict["file"] == ["The workbook has no sheet named “Sheet9”. Its sheets are: Chi bộ 1."]


def test_a_workbook_whose_sheets_have_no_roster_is_a_clear_error(tree):
    content = roster_xlsx([["a", "b"]], header=["Tiêu đề", "Khác"])

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        start_import(tree.users["officer_a"], tree.commune_a, content, "roster.xlsx")

    assert "No sheet of the file has a header row we recognise" in raised.value.message_dict["file"][0]


def test_merged_header_cells_are_a_clear_error(tree):
    # Given a header where "Ngày vào Đảng" spans two columns (the second header cell is empty)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Số thẻ đảng viên", "Ngày vào Đảng", None])
    sheet.append(["Nguyễn Văn A", "01234567", "19/05/1990", "19/05/1991"])
    sheet.merge_cells("C1:D1")
    output = io.BytesIO()
    workbook.save(output)

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        start_import(tree.users["officer_a"], tree.commune_a, output.getvalue(), "merged.xlsx")

    assert raised.value.message_dict["file"] == [
        "Column D has values (row 2) but no header in row 1. Header cells may be merged: give every column its own header cell."
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_one_megabyte_cell_is_a_clear_error(tree, kind):
    row = row_for(tree.member_a1)
    row[1] = "A" * 1_000_000
    content = roster_csv([row]) if kind == "csv" else roster_xlsx([row])

    with translation.override("en"):
        try:
            job = preview(tree.users["officer_a"], tree.commune_a, content, f"big.{kind}")
            message = job.error
            assert job.state == ImportState.FAILED
        except ValidationError as error:
            message = error.message_dict["file"][0]

    assert "4,000" in message
    assert not ImportRow.objects.exists()


# -- encodings ------------------------------------------------------------------------------------------------------------


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ơ ư ă đ precomposed and writes tones as combining marks after the letter."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    output = []
    for char in unicodedata.normalize("NFC", text):
        try:
            output.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            output.append((base + "".join(c for c in decomposed if c in tones)).encode("cp1258"))
    return b"".join(output)


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("utf-8", lambda text: text.encode("utf-8")),
        ("utf-8-sig", lambda text: text.encode("utf-8-sig")),
        ("cp1258", encode_cp1258),
        ("tcvn3", lambda text: text.encode("tcvn3")),
    ],
)
def test_each_encoding_is_detected_and_read(tree, encoding, encode):
    # TCVN3 has only seven capitals, so the name is written with those (Đ) and lower case.
    newcomer = member_data(unit=tree.cell_a2, full_name="Đặng thị hường")
    text = roster_csv([row_for(newcomer)]).decode("utf-8")

    job = preview(tree.users["officer_a"], tree.commune_a, encode(text))

    assert job.detected_encoding == encoding
    assert job.rows.get(kind=ImportRowKind.NEW).full_name == "Đặng thị hường"


def test_the_official_can_choose_the_encoding(tree):
    newcomer = member_data(unit=tree.cell_a2, full_name="Đặng thị hường")
    content = roster_csv([row_for(newcomer)]).decode("utf-8").encode("tcvn3")

    job = preview(tree.users["officer_a"], tree.commune_a, content, encoding="tcvn3")

    assert job.rows.get(kind=ImportRowKind.NEW).full_name == "Đặng thị hường"


# -- round trip --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_exporting_the_registry_and_importing_it_back_changes_nothing(tree, language):
    # Given commune A's registry, with members of every kind of record, exported as XLSX
    from members.exporting.workbooks import members_export_registry

    officer = tree.users["officer_a"]
    make_member(unit=tree.cell_ag1, residence_area=tree.village_a1, religion="Phật giáo", is_army=True, notes="=1+1")
    make_member(unit=tree.cell_a2, official_on=None, standing="probationary", card_number=None)
    with translation.override(language):
        export = members_export_registry(actor=officer, unit=tree.commune_a, purpose="Reconciliation")
    content = export.file.read()
    before = member_rows_fingerprint()

    # When it is imported back and applied
    with translation.override(language):
        job = preview(officer, tree.commune_a, content, export.filename)
        job = services.import_job_commit(actor=officer, job=job)

    # Then every row is unchanged and nothing was written
    assert errors_of(job) == []
    assert (job.new_count, job.changed_count, job.missing_count) == (0, 0, 0)
    assert job.unchanged_count == Member.objects.filter(unit__path__startswith=tree.commune_a.path).count()
    assert member_rows_fingerprint() == before


# -- the command ---------------------------------------------------------------------------------------------------------------


def test_the_command_checks_then_applies_a_roster(tree, tmp_path):
    from django.core.management import call_command

    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([row_for(tree.member_a2, phone="0987000111"), row_for(newcomer, number=2)]))
    output = io.StringIO()

    with translation.override("en"):
        call_command("import_members", str(path), unit="XA", user="officer_a", commit=True, stdout=output)

    assert "2 rows checked" in output.getvalue()
    assert "1 new, 1 changed, 0 unchanged, 0 with errors" in output.getvalue()
    assert Member.objects.get(pk=tree.member_a2.pk).phone == "0987000111"
    assert ChangeLog.objects.filter(source=ChangeSource.IMPORT).count() == 2


def test_the_command_without_commit_changes_nothing_and_prints_the_errors(tree, tmp_path):
    from django.core.management import call_command

    row = row_for(member_data(unit=tree.cell_a2))
    row[3] = "99/99/1999"
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([row]))
    before = member_rows_fingerprint()
    output = io.StringIO()

    with translation.override("en"):
        call_command("import_members", str(path), unit="XA", user="officer_a", stdout=output)

    assert "row 2 [D · Ngày sinh]: 99/99/1999 is not a date." in output.getvalue()
    assert member_rows_fingerprint() == before


def test_the_command_refuses_a_unit_outside_the_users_scope(tree, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([row_for(tree.member_a1)]))

    with pytest.raises(PermissionDenied):
        call_command("import_members", str(path), unit="XA", user="officer_b", stdout=io.StringIO())


# -- large files: batches, progress, the background task ------------------------------------------------------------------------


def test_the_preview_reports_its_progress_batch_by_batch(tree, monkeypatch):
    monkeypatch.setattr(services, "PREVIEW_BATCH", 2)
    rows = [row_for(member_data(unit=tree.cell_a2), number=number) for number in range(5)]
    job = start_import(tree.users["officer_a"], tree.commune_a, roster_csv(rows))
    reported = []

    job = services.import_job_preview(
        actor=tree.users["officer_a"], job=job, progress=lambda done, total: reported.append(done)
    )

    assert reported == [2, 4, 5]
    assert (job.processed_rows, job.new_count) == (5, 5)


@pytest.mark.parametrize(("every_seconds", "saved_on_the_way"), [(0, [2, 4]), (3_600, [])])
def test_the_count_the_progress_page_shows_is_saved_at_most_every_interval(
    tree, monkeypatch, every_seconds, saved_on_the_way
):
    monkeypatch.setattr(services, "PREVIEW_BATCH", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", every_seconds)
    rows = [row_for(member_data(unit=tree.cell_a2), number=number) for number in range(5)]
    job = start_import(tree.users["officer_a"], tree.commune_a, roster_csv(rows))
    saved = []
    real_save = services._save_progress

    def noted(job, **fields):
        if set(fields) == {"processed_rows"}:
            saved.append(fields["processed_rows"])
        real_save(job, **fields)

    monkeypatch.setattr(services, "_save_progress", noted)

    job = services.import_job_preview(actor=tree.users["officer_a"], job=job)

    assert saved == saved_on_the_way
    job.refresh_from_db()
    assert job.processed_rows == 5


def test_the_commit_task_resumes_an_import_whose_worker_died(tree, monkeypatch):
    # Given a commit whose worker died during its second batch (the job still says "committing")
    from members.tasks import import_commit_task

    officer = tree.users["officer_a"]
    newcomers = [member_data(unit=tree.cell_a2) for _ in range(3)]
    job = preview(officer, tree.commune_a, roster_csv([row_for(data, number=n) for n, data in enumerate(newcomers)]))
    calls = []

    def dies_on_second_batch(real_create, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "COMMIT_BATCH", 1)
    with monkeypatch.context() as patched:
        patch_member_creation(patched, dies_on_second_batch)
        with pytest.raises(SystemExit):
            services.import_job_commit(actor=officer, job=job)
    job.refresh_from_db()
    assert (job.state, job.applied_rows) == (ImportState.COMMITTING, 1)

    # When the task is delivered again
    state = import_commit_task.delay(job.pk, officer.pk).get()

    # Then the remaining rows are applied once and the first one is not applied twice
    assert state == ImportState.COMMITTED
    assert Member.objects.filter(card_number__in=[data["card_number"] for data in newcomers]).count() == 3
    assert ChangeLog.objects.filter(source=ChangeSource.IMPORT).count() == 3


def test_a_member_missing_from_two_imports_has_one_open_review_flag(tree):
    officer = tree.users["officer_a"]
    content = roster_csv([row_for(member_data(unit=tree.cell_a2))])
    for _ in range(2):
        services.import_job_commit(actor=officer, job=preview(officer, tree.cell_a2, content))

    assert MemberReviewFlag.objects.filter(member=tree.member_a2, resolved_at__isnull=True).count() == 1


def test_choosing_the_wrong_encoding_is_a_clear_error(tree):
    newcomer = member_data(unit=tree.cell_a2, full_name="Đặng Thị Hường")
    content = encode_cp1258(roster_csv([row_for(newcomer)]).decode("utf-8"))

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        start_import(tree.users["officer_a"], tree.commune_a, content, encoding="utf-8")

    assert raised.value.message_dict["file"] == [
        "Row 1 is not valid Unicode (UTF-8) text. Choose the file's encoding and upload it again."
    ]
