import io
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.scoping import forget_cached_scope
from audit.choices import ChangeAction
from audit.models import ChangeLog
from members.exporting import workbooks as exporting
from members.exporting.workbooks import CELL_LIST_HEADER, REGISTRY_FIELDS, members_export_registry
from members.models import Member
from members.tests.factories import make_member

PURPOSE = "Annual review of the cell"
PURPOSE_QUERY = "purpose=Annual%20review%20of%20the%20cell"
WHY = f"?{PURPOSE_QUERY}"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def workbook(response):
    return load_workbook(io.BytesIO(content(response)))


def sheet_rows(response) -> list[tuple]:
    return list(workbook(response).worksheets[0].iter_rows(values_only=True))


def exports():
    return ChangeLog.objects.filter(action=ChangeAction.EXPORT)


# -- the cell member list (7-HSĐV) ------------------------------------------------------------------------


def test_the_cell_member_list_downloads_as_an_xlsx_file(officer_a, tree):
    response = officer_a.get(reverse("members:export_7hsdv", args=["XA-C2"]) + WHY)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]


def test_the_cell_member_list_has_the_fourteen_columns_of_form_7_hsdv_in_order(officer_a, tree):
    with translation.override("en"):
        expected = [str(label) for label in CELL_LIST_HEADER]

    rows = sheet_rows(officer_a.get(reverse("members:export_7hsdv", args=["XA-C2"]) + WHY))

    assert len(expected) == 14
    assert list(rows[2]) == expected
    assert rows[2][1] == "Full name / birth name"
    assert rows[2][6] == "Date of joining, date made official"


def test_the_cell_member_list_writes_one_numbered_row_per_member_with_dates_day_month_year(officer_a, tree):
    member = tree.member_a2

    rows = sheet_rows(officer_a.get(reverse("members:export_7hsdv", args=["XA-C2"]) + WHY))

    body = rows[3:]
    assert [row[0] for row in body] == [1]
    assert body[0][1].startswith("Trần Thị Bình")
    assert member.date_of_birth.strftime("%d/%m/%Y") in body[0][2]
    assert member.joined_on.strftime("%d/%m/%Y") in body[0][6]
    assert member.card_number in body[0][7]


def test_a_committees_cell_member_list_covers_its_whole_subtree_and_nothing_else(officer_a, tree):
    make_member(unit=tree.cell_ag1, full_name="Phạm Văn Giáo")

    rows = sheet_rows(officer_a.get(reverse("members:export_7hsdv", args=["XA"]) + WHY))

    names = " ".join(row[1] for row in rows[3:])
    assert "Nguyễn Văn An" in names
    assert "Trần Thị Bình" in names
    assert "Phạm Văn Giáo" in names
    assert "Lê Văn Cường" not in names


def test_exporting_a_unit_outside_scope_is_not_found_and_logs_nothing(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(reverse("members:export_7hsdv", args=["XA"]) + WHY)

    assert response.status_code == 404
    assert not exports().exists()


# -- the change log ---------------------------------------------------------------------------------------


def test_an_export_is_written_to_the_change_log_with_the_unit_and_the_number_of_rows(officer_a, tree):
    officer_a.get(reverse("members:export_7hsdv", args=["XA"]) + WHY)

    entry = exports().get()
    assert entry.actor == tree.users["officer_a"]
    assert entry.unit == tree.commune_a
    assert entry.object_id == tree.commune_a.pk
    assert entry.source == "web"
    assert entry.postchange_data == {"export": "7hsdv", "unit": "XA", "filters": {}, "rows": 2, "purpose": PURPOSE}


def test_a_filtered_export_logs_its_filters(officer_a, tree):
    officer_a.get(reverse("members:export") + "?q=binh&status=active&unit=XA&eligible=yes&" + PURPOSE_QUERY)

    entry = exports().get()
    assert entry.postchange_data["filters"] == {"search": "binh", "status": "active", "unit": "XA", "eligible": True}
    assert entry.postchange_data["rows"] == 1


def test_an_export_without_a_unit_filter_is_logged_against_the_units_of_the_users_scope(officer_a, tree):
    officer_a.get(reverse("members:export") + WHY)

    entry = exports().get()
    assert entry.unit == tree.commune_a
    assert entry.postchange_data["unit"] is None
    assert entry.postchange_data["rows"] == 2


def test_an_export_by_someone_with_no_scope_is_logged_against_the_user(tree):
    from members.exporting.workbooks import members_export_list

    nobody = tree.users["no_role"]
    export = members_export_list(actor=nobody, purpose=PURPOSE)

    entry = exports().get()
    assert (export.rows, entry.unit, entry.object_id) == (0, None, nobody.pk)


# -- formulas ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x","y")', "+84912", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_value_a_spreadsheet_would_run_as_a_formula_is_written_as_plain_text(officer_a, tree, dangerous):
    Member.objects.filter(pk=tree.member_a2.pk).update(notes=dangerous, occupation=dangerous)

    response = officer_a.get(reverse("members:export_registry", args=["XA-C2"]) + WHY)

    raw = content(response)
    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    cells = [cell for row in load_workbook(io.BytesIO(raw)).worksheets[0].iter_rows() for cell in row]
    dangerous_cells = [cell for cell in cells if cell.value == dangerous]
    assert len(dangerous_cells) == 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in dangerous_cells)


def test_an_ordinary_value_gets_no_quote_prefix(officer_a, tree):
    raw = content(officer_a.get(reverse("members:export_registry", args=["XA-C2"]) + WHY))

    cells = [cell for row in load_workbook(io.BytesIO(raw)).worksheets[0].iter_rows() for cell in row]
    name_cell = next(cell for cell in cells if cell.value == "Trần Thị Bình")
    assert not name_cell.quotePrefix


def test_control_characters_that_xlsx_cannot_hold_are_dropped(officer_a, tree):
    Member.objects.filter(pk=tree.member_a2.pk).update(notes="Ghi\x0b chú\x07\x1b")

    rows = sheet_rows(officer_a.get(reverse("members:export_registry", args=["XA-C2"]) + WHY))

    assert "Ghi chú" in rows[1]


# -- the full registry ------------------------------------------------------------------------------------


def test_the_registry_has_a_column_for_every_field_and_the_codes_of_cell_and_residence(officer_a, tree):
    with translation.override("en"):
        field_labels = [str(field.verbose_name) for field in REGISTRY_FIELDS]

    rows = sheet_rows(officer_a.get(reverse("members:export_registry", args=["XA-C1"]) + WHY))

    assert list(rows[0]) == ["Record ID", "Cell code", "Cell", "Residence area code", *field_labels]
    assert {"full name", "citizen ID", "party card number", "notes", "reason not eligible"} <= set(field_labels)
    assert rows[1][:3] == (tree.member_a1.pk, "XA-C1", "Chi bộ thôn 1")


def test_the_registry_writes_dates_as_dates_shown_day_month_year(officer_a, tree):
    raw = content(officer_a.get(reverse("members:export_registry", args=["XA-C2"]) + WHY))

    sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
    birth_column = 4 + [field.name for field in REGISTRY_FIELDS].index("date_of_birth") + 1
    cell = sheet.cell(row=2, column=birth_column)
    assert cell.value.date() == tree.member_a2.date_of_birth
    assert cell.number_format == "DD/MM/YYYY"


def test_a_large_export_continues_on_a_second_sheet(officer_a, tree, monkeypatch):
    monkeypatch.setattr(exporting, "MAX_ROWS_PER_SHEET", 2)
    make_member(unit=tree.cell_a1)
    make_member(unit=tree.cell_a1)

    book = workbook(officer_a.get(reverse("members:export_registry", args=["XA"]) + WHY))

    assert [sheet.max_row for sheet in book.worksheets] == [3, 3]
    assert exports().get().postchange_data["rows"] == 4


def test_the_export_runs_as_many_queries_for_30_members_as_for_3(tree):
    officer = tree.users["officer_a"]
    with CaptureQueriesContext(connection) as few:
        members_export_registry(actor=officer, unit=tree.cell_a2, purpose=PURPOSE).file.close()
    for _ in range(27):
        make_member(unit=tree.cell_a2)
    forget_cached_scope(officer)
    cache.clear()  # the roles kept between requests: read them again, as the first export did

    with CaptureQueriesContext(connection) as many:
        export = members_export_registry(actor=officer, unit=tree.cell_a2, purpose=PURPOSE)

    export.file.close()
    assert export.rows == 28
    assert len(many) == len(few)


# -- the filtered member list -----------------------------------------------------------------------------


def test_the_member_list_export_keeps_the_same_search_and_filters_as_the_page(officer_a, tree):
    rows = sheet_rows(officer_a.get(reverse("members:export") + "?q=tran+thi&" + PURPOSE_QUERY))

    assert len(rows) == 2
    assert rows[1][1] == "Trần Thị Bình"
    assert rows[1][2].date() == tree.member_a2.date_of_birth


def test_the_member_list_export_never_includes_members_outside_scope(officer_a, tree):
    rows = sheet_rows(officer_a.get(reverse("members:export") + WHY))

    names = {row[1] for row in rows[1:]}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_a_province_viewer_exports_the_members_of_every_commune(client, tree):
    client.force_login(tree.users["province_viewer"])

    rows = sheet_rows(client.get(reverse("members:export") + WHY))

    assert {row[1] for row in rows[1:]} == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"}


def test_a_member_list_export_filtered_on_a_unit_outside_scope_is_not_found(officer_a, tree):
    response = officer_a.get(reverse("members:export") + "?unit=XB&" + PURPOSE_QUERY)

    assert response.status_code == 404
    assert not exports().exists()


def test_a_user_who_may_see_no_member_cannot_export_the_member_list(client, tree):
    client.force_login(tree.users["no_role"])

    response = client.get(reverse("members:export") + WHY)

    assert response.status_code == 403
    assert not exports().exists()


# -- links -------------------------------------------------------------------------------------------------


def test_the_member_list_offers_to_export_the_members_it_shows_with_its_filters(officer_a, tree):
    response = officer_a.get(reverse("members:list") + "?q=binh")

    assert f'href="{reverse("members:export")}?q=binh"' in response.content.decode()
    assert "Export these members" in response.content.decode()


def test_the_unit_page_offers_the_cell_member_list_and_the_registry(officer_a, tree):
    response = officer_a.get(reverse("orgunits:detail", args=["XA-C1"]))

    page = response.content.decode()
    assert reverse("members:export_7hsdv", args=["XA-C1"]) in page
    assert reverse("members:export_registry", args=["XA-C1"]) in page


def test_the_unit_page_hides_the_exports_from_a_plain_member(client, tree):
    client.force_login(tree.users["member_a1"])

    page = client.get(reverse("orgunits:detail", args=["XA-C1"])).content.decode()

    assert reverse("members:export_7hsdv", args=["XA-C1"]) not in page


def test_every_member_export_freezes_its_headings_and_prints_on_a4(tree):
    officer = tree.users["officer_a"]
    for exported in (
        exporting.members_export_cell_list(actor=officer, unit=tree.cell_a1, purpose="Rà soát danh sách"),
        exporting.members_export_registry(actor=officer, unit=tree.commune_a, purpose="Rà soát danh sách"),
    ):
        sheet = load_workbook(exported.file).worksheets[0]
        header_row = int(sheet.print_title_rows.split(":")[0].strip("$"))
        assert sheet.freeze_panes == f"A{header_row + 1}"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.page_setup.orientation == "landscape"
