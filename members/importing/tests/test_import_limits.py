"""Roster files beyond the operator's limits (file size, rows, columns, the XLSX's expanded size) are refused
with a message naming the limit and its setting, before anything is written. The limits are set low here."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from common.tests.api import api_client
from members.choices import ImportState
from members.importing.tests.test_import import HEADER, preview, roster_csv, roster_xlsx, row_for, start_import
from members.importing.tests.test_import_api import upload
from members.models import ImportJob, ImportRow
from members.tests.factories import member_data


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def many_rows(tree, count: int) -> list[list]:
    data = member_data(unit=tree.cell_a1)
    return [row_for(data, number=number, card_number="", citizen_id="") for number in range(1, count + 1)]


def without_dimension(workbook: bytes) -> bytes:
    """The workbook with its sheet's declared size removed, as some generators write it: rows are then counted."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            body = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                start = body.index(b"<dimension")
                body = body[:start] + body[body.index(b"/>", start) + 2 :]
            target.writestr(part, body)
    return output.getvalue()


def test_a_csv_larger_than_the_file_limit_is_refused_at_upload(tree, settings):
    settings.IMPORT_MAX_FILE_BYTES = 2_000
    content = roster_csv(many_rows(tree, 40))
    assert len(content) > 2_000

    with pytest.raises(ValidationError) as refused:
        start_import(tree.users["officer_a"], tree.commune_a, content)

    assert "IMPORT_MAX_FILE_BYTES" in refused.value.message_dict["file"][0]
    assert "2.0\xa0KB" in refused.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_a_small_workbook_that_expands_beyond_the_limit_is_refused_before_it_is_read(tree, settings):
    # Given a zip-bomb-like workbook: thousands of identical rows compress to a few kilobytes
    content = roster_xlsx(many_rows(tree, 3_000))
    expanded = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert len(content) * 10 < expanded
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = expanded - 1

    with pytest.raises(ValidationError) as refused:
        start_import(tree.users["officer_a"], tree.commune_a, content, name="roster.xlsx")

    assert "IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES" in refused.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_a_workbook_declaring_more_rows_than_the_limit_is_refused_at_upload(tree, settings):
    settings.IMPORT_MAX_ROWS = 100

    with pytest.raises(ValidationError) as refused:
        start_import(tree.users["officer_a"], tree.commune_a, roster_xlsx(many_rows(tree, 150)), name="roster.xlsx")

    assert "more than 100 rows" in refused.value.message_dict["file"][0]
    assert "IMPORT_MAX_ROWS" in refused.value.message_dict["file"][0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda tree: roster_csv(many_rows(tree, 150)), id="csv"),
        pytest.param(lambda tree: without_dimension(roster_xlsx(many_rows(tree, 150))), id="xlsx without its size"),
    ],
)
def test_rows_beyond_the_limit_fail_the_check_as_they_are_read_and_keep_no_row(tree, settings, content):
    settings.IMPORT_MAX_ROWS = 100

    job = preview(tree.users["officer_a"], tree.commune_a, content(tree), name="roster")

    assert job.state == ImportState.FAILED
    assert "more than 100 rows" in job.error
    assert not ImportRow.objects.filter(job=job).exists()


def test_a_row_wider_than_the_column_limit_is_refused(tree, settings):
    settings.IMPORT_MAX_COLUMNS = len(HEADER) + 2
    rows = many_rows(tree, 3)
    rows[1] += [""] * 2 + ["x"]

    with pytest.raises(ValidationError) as refused:
        start_import(tree.users["officer_a"], tree.commune_a, roster_csv(rows))

    assert f"Row 3 has {len(HEADER) + 3} columns" in refused.value.message_dict["file"][0]
    assert "IMPORT_MAX_COLUMNS" in refused.value.message_dict["file"][0]


def test_the_api_refuses_an_oversized_file_with_the_limit_in_its_message(tree, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1_000

    response = upload(api_client(tree.users["officer_a"]), roster_csv(many_rows(tree, 40)))

    assert response.status_code == 422, response.json()
    assert "IMPORT_MAX_FILE_BYTES" in response.json()["errors"]["file"][0], response.json()
