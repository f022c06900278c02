"""The units' import page (orgunits/views.py: upload → preview → import → result)."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.tabular import choice_named, read_table
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.unit_import import HEADINGS

from .test_unit_import import HEADER, ROWS

NEW_CODES = ["XA-GR1", "XA-GR1-C1", "XA-C9"]


def units_file(text: str = ROWS, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + text).encode())


def upload(client, text: str = ROWS, name: str = "units.csv"):
    return client.post(reverse("orgunits:import"), {"file": units_file(text, name)})


def signed_rows(response) -> str:
    return response.context["commit_form"].initial["rows"]


@pytest.fixture
def officer(client, tree):
    client.force_login(tree.users["officer_a"])
    return client


def test_the_preview_lists_the_units_to_create_and_writes_nothing(officer):
    logged = ChangeLog.objects.count()

    response = upload(officer)

    assert response.status_code == 200
    assert [item["row"].code for item in response.context["create"]] == ["XA-GR1", "XA-C9", "XA-GR1-C1"]
    assert "Chi bộ Trường Tiểu học" in response.content.decode()
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()
    assert ChangeLog.objects.count() == logged


def test_importing_the_preview_creates_the_units_with_the_reason_and_shows_the_result(officer):
    rows = signed_rows(upload(officer))

    response = officer.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "QĐ 7"})

    assert response.status_code == 302 and response["Location"] == reverse("orgunits:import_result")
    assert Unit.objects.filter(code__in=NEW_CODES).count() == 3
    assert ChangeLog.objects.filter(reason="QĐ 7").count() == 3
    result = officer.get(reverse("orgunits:import_result"))
    assert result.context["result"]["created"][0] == ["XA-GR1", "Đảng bộ Trường học", "XA"]
    assert reverse("orgunits:detail", args=["XA-C9"]) in result.content.decode()


def test_the_reason_is_required_and_nothing_is_written_without_it(officer):
    rows = signed_rows(upload(officer))

    response = officer.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": ""})

    assert response.status_code == 200 and response.context["commit_form"].errors["reason"]
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()


def test_the_same_file_again_shows_everything_unchanged_and_importing_it_again_changes_nothing(officer):
    rows = signed_rows(upload(officer))
    officer.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "QĐ 7"})
    logged = ChangeLog.objects.count()

    response = upload(officer)
    again = officer.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "QĐ 7"})

    assert response.context["create"] == [] and response.context["change"] == []
    assert [row.code for row in response.context["unchanged"]] == ["XA-GR1-C1", "XA-GR1", "XA-C9"]
    assert reverse("orgunits:import_commit") not in response.content.decode()
    assert again.status_code == 302 and officer.session["unit_import_result"]["unchanged"] == 3
    assert ChangeLog.objects.count() == logged


def test_a_wrong_row_blocks_the_import_and_is_named_with_all_its_problems(officer):
    response = upload(officer, ROWS + "XA-X,,castle,NOPE,ZZ\n")

    assert response.status_code == 200 and "commit_form" not in response.context
    ((number, found),) = response.context["problems"]
    assert number == 5 and len(found) == 4, found
    page = response.content.decode()
    assert "castle" in page and "NOPE" in page and "ZZ" in page
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()


def test_rows_altered_in_the_page_are_refused(officer):
    rows = signed_rows(upload(officer))

    response = officer.post(reverse("orgunits:import_commit"), {"rows": rows[:-2] + "xx", "reason": "QĐ 7"})

    assert response.status_code == 200
    assert "upload the file again" in response.content.decode()
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()


def test_units_outside_the_officers_scope_are_named_as_wrong_rows_not_an_error_page(client, tree):
    rows = signed_rows(upload_as(client, tree.users["officer_a"]))
    client.force_login(tree.users["officer_b"])

    preview = upload(client)
    applied = client.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "QĐ 7"})

    assert preview.status_code == 200 and [number for number, _found in preview.context["problems"]] == [3, 4]
    assert "You may not create units under XA." in preview.content.decode()
    assert applied.status_code == 200 and applied.context["problems"]
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()


def upload_as(client, user):
    client.force_login(user)
    return upload(client)


@pytest.mark.parametrize("role", [RoleKind.MEMBER, RoleKind.SUPPORTER, RoleKind.VIEWER, RoleKind.CELL_SECRETARY])
def test_those_who_manage_no_unit_are_refused_every_step(client, tree, role):
    rows = signed_rows(upload_as(client, tree.users["officer_a"]))
    client.force_login(make_user(role=role, unit=tree.commune_a, username="someone"))

    answers = [
        client.get(reverse("orgunits:import")).status_code,
        upload(client).status_code,
        client.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "x"}).status_code,
        client.get(reverse("orgunits:import_result")).status_code,
    ]

    assert answers == [403, 403, 403, 403]
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()


def test_a_file_of_another_type_or_too_large_is_refused_with_a_clear_message(officer, monkeypatch):
    assert "Choose a .xlsx or .csv file." in upload(officer, name="units.pdf").content.decode()
    assert "cannot be read as an Excel workbook" in upload(officer, name="units.xlsx").content.decode()
    monkeypatch.setattr("common.forms.MAX_FILE_BYTES", 100)
    assert "the most such a list may be" in upload(officer).content.decode()


def test_the_sample_file_has_the_headings_the_import_recognises(officer):
    response = officer.get(reverse("orgunits:import_sample"))

    rows = read_table("sample.xlsx", response.content, HEADINGS)
    assert [choice_named(values["kind"], UnitKind) for _number, values in rows] == [
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.ATTACHED_CELL,
    ]


def test_the_unit_pages_link_to_the_import_for_those_who_manage_units(officer, client, tree):
    assert reverse("orgunits:import") in officer.get(reverse("orgunits:detail", args=["XA"])).content.decode()
    assert reverse("orgunits:import") in officer.get(reverse("orgunits:list")).content.decode()
    client.force_login(tree.users["province_viewer"])
    assert reverse("orgunits:import") not in client.get(reverse("orgunits:list")).content.decode()


@pytest.mark.parametrize(
    "refusal",
    [
        ValidationError({"parent": "The parent unit is closed."}),
        PermissionDenied("You do not have permission for this unit."),
    ],
    ids=["service_error", "scope_changed"],
)
def test_a_refusal_of_the_services_at_import_is_shown_as_a_message_and_nothing_is_written(
    officer, monkeypatch, refusal
):
    rows = signed_rows(upload(officer))

    def refuse(**arguments):
        raise refusal

    monkeypatch.setattr("orgunits.unit_import.unit_create", refuse)
    response = officer.post(reverse("orgunits:import_commit"), {"rows": rows, "reason": "QĐ 7"})

    assert response.status_code == 200
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert (" ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)) in shown
    assert not Unit.objects.filter(code__in=NEW_CODES).exists()
