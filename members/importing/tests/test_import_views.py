"""The import pages as an official uses them: upload → mapping → preview → apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.choices import ImportState
from members.importing import services
from members.importing.tests.test_import import preview, roster_csv, row_for
from members.models import ImportJob, Member
from members.tests.factories import member_data


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer_client(client, tree):
    client.force_login(tree.users["officer_a"])
    return client


def test_an_official_uploads_maps_previews_and_applies_a_roster(officer_client, tree):
    newcomer = member_data(unit=tree.cell_a2, full_name="Đỗ Thị Mới")
    content = roster_csv([row_for(tree.member_a2, phone="0987000111"), row_for(newcomer, number=2)])

    # Upload
    response = officer_client.post(
        reverse("members:import"), {"unit": "XA", "file": SimpleUploadedFile("danh-sach.csv", content)}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("members:import_detail", args=[job.pk])

    # The mapping step shows the recognised columns
    page = officer_client.get(response["Location"]).content.decode()
    assert 'name="column_1"' in page and '<option value="full_name" selected>' in page

    # Mapping confirmed: the preview runs and shows the change old → new
    mapping = {f"column_{index}": field for index, field in job.mapping.items()}
    officer_client.post(reverse("members:import_mapping", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert job.state == ImportState.PREVIEWED
    page = officer_client.get(reverse("members:import_detail", args=[job.pk]) + "?kind=changed").content.decode()
    assert "0987000111" in page and tree.member_a2.phone in page

    # Apply
    officer_client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportState.COMMITTED
    assert Member.objects.filter(card_number=newcomer["card_number"]).exists()


def test_an_unreadable_file_is_shown_as_an_error_on_the_upload_form(officer_client, tree):
    with translation.override("en"):
        response = officer_client.post(
            reverse("members:import"),
            {"unit": "XA", "file": SimpleUploadedFile("roster.xlsx", b"not a workbook at all")},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 200
    assert "is not an Excel workbook" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_form_refuses_a_unit_outside_the_users_scope(officer_client, tree):
    response = officer_client.post(
        reverse("members:import"),
        {"unit": "XB", "file": SimpleUploadedFile("roster.csv", roster_csv([row_for(tree.member_b1)]))},
    )

    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_the_progress_poll_sends_the_page_back_to_the_job_when_it_is_done(officer_client, tree):
    job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(tree.member_a1)]))

    response = officer_client.get(reverse("members:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("members:import_detail", args=[job.pk])


def test_a_running_job_shows_a_polling_progress_bar(officer_client, tree):
    job = services.import_job_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        uploaded_file=SimpleUploadedFile("r.csv", roster_csv([row_for(tree.member_a1)])),
    )
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.PREVIEWING, processed_rows=1_000, total_rows=4_000)

    page = officer_client.get(reverse("members:import_detail", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 2s"' in page
    assert 'max="4000" value="1000"' in page


def _preview_with_errors(tree, count: int):
    rows = []
    for number in range(count):
        data = member_data(unit=tree.cell_a2)
        row = row_for(data, number=number)
        row[3] = "not a date"
        rows.append(row)
    return preview(tree.users["officer_a"], tree.commune_a, roster_csv(rows))


def test_the_preview_page_runs_the_same_number_of_queries_for_3_and_for_30_rows(officer_client, tree):
    small, large = _preview_with_errors(tree, 3), _preview_with_errors(tree, 30)
    counts = []
    for job in (small, large):
        officer_client.get(
            reverse("members:import_detail", args=[job.pk]) + "?kind=error"
        )  # the badge kept from then on
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(reverse("members:import_detail", args=[job.pk]) + "?kind=error")
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_navigation_shows_import_only_to_users_who_may_change_members(client, tree):
    client.force_login(tree.users["province_viewer"])
    assert reverse("members:import") not in client.get(reverse("orgunits:list")).content.decode()

    client.force_login(tree.users["officer_a"])
    assert reverse("members:import") in client.get(reverse("orgunits:list")).content.decode()


def test_a_previewed_import_can_be_mapped_again_before_it_is_applied(officer_client, tree):
    job = preview(tree.users["officer_a"], tree.commune_a, roster_csv([row_for(tree.member_a1)]))

    page = officer_client.get(reverse("members:import_detail", args=[job.pk]) + "?remap=1").content.decode()

    assert reverse("members:import_mapping", args=[job.pk]) in page
    assert 'name="column_1"' in page
