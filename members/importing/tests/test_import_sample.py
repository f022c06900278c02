"""The sample roster linked from the import page: every column recognised, its example row imports cleanly."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from members.importing.headers import recognise
from members.importing.sample import COLUMNS, EXAMPLE, sample_headers


def test_every_header_of_the_sample_is_recognised_as_its_field():
    mapping = recognise(sample_headers())
    assert [mapping[str(index)] for index in range(len(COLUMNS))] == COLUMNS


def test_the_import_page_links_the_sample_and_it_downloads_as_xlsx(client, tree):
    client.force_login(tree.users["officer_a"])
    page = client.get(reverse("members:import"))
    assert reverse("members:import_sample") in page.content.decode()

    response = client.get(reverse("members:import_sample"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, example = list(sheet.iter_rows(values_only=True))
    assert list(header) == sample_headers()
    assert example[1] == EXAMPLE["full_name"]
    assert len(header) == len(COLUMNS)
