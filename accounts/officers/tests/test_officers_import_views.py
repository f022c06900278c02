"""The officers' page (accounts/officer_views.py): upload → preview → import → result and slips; one officer typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.activation_codes import activation_code_check
from accounts.choices import RoleKind
from accounts.models import RoleAssignment, User
from accounts.officers.services import HEADINGS
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.tabular import choice_named, read_table

from .test_officers_import import HEADER

ROWS = (
    "hoang.lan,Hoàng Thị Lan,0912345601,XA,committee_officer\nhoang.lan,Hoàng Thị Lan,0912345601,XA-C1,Bí thư chi bộ\n"
)


def upload(client, text: str = ROWS, name: str = "officers.csv"):
    return client.post(
        reverse("accounts:officers_import"), {"file": SimpleUploadedFile(name, (HEADER + text).encode())}
    )


def signed_rows(response) -> str:
    return response.context["commit_form"].initial["rows"]


@pytest.fixture
def admin(client, tree):
    client.force_login(tree.users["admin_a"])
    return client


def test_the_preview_lists_accounts_to_create_and_roles_to_grant_and_writes_nothing(admin):
    logged = ChangeLog.objects.count()

    response = upload(admin)

    plan = response.context["plan"]
    assert [grant.username for grant in plan.accounts_to_create] == ["hoang.lan"]
    assert [(grant.unit.code, grant.role) for grant in plan.roles_to_grant] == [
        ("XA", RoleKind.COMMITTEE_OFFICER),
        ("XA-C1", RoleKind.CELL_SECRETARY),
    ]
    assert not User.objects.filter(username="hoang.lan").exists() and ChangeLog.objects.count() == logged


def test_importing_creates_the_accounts_and_the_result_shows_each_first_sign_in_code(admin):
    response = admin.post(
        reverse("accounts:officers_import_commit"), {"rows": signed_rows(upload(admin)), "reason": "QĐ 12"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("accounts:officers_import_result")
    user = User.objects.get(username="hoang.lan")
    assert RoleAssignment.objects.filter(user=user).count() == 2
    assert ChangeLog.objects.filter(reason="QĐ 12").count() == 3
    result = admin.get(reverse("accounts:officers_import_result"))
    (account,) = result.context["result"]["accounts"]
    assert account["code"] in result.content.decode()
    assert activation_code_check(identifier="hoang.lan", code=account["code"]).user == user
    slips = admin.get(reverse("accounts:officers_slips"))
    assert account["code"] in slips.content.decode() and "Hoàng Thị Lan" in slips.content.decode()


def test_the_same_file_again_has_nothing_to_import_and_changes_nothing(admin):
    rows = signed_rows(upload(admin))
    admin.post(reverse("accounts:officers_import_commit"), {"rows": rows, "reason": "QĐ 12"})
    logged = ChangeLog.objects.count()

    preview = upload(admin)
    again = admin.post(reverse("accounts:officers_import_commit"), {"rows": rows, "reason": "QĐ 12"})

    plan = preview.context["plan"]
    assert plan.accounts_to_create == [] and plan.roles_to_grant == [] and len(plan.roles_held) == 2
    assert reverse("accounts:officers_import_commit") not in preview.content.decode()
    assert again.status_code == 302 and admin.session["officer_import_result"]["accounts"] == []
    assert ChangeLog.objects.count() == logged and User.objects.filter(username="hoang.lan").count() == 1


def test_a_wrong_row_blocks_the_import_and_a_taken_phone_is_named_by_its_row(admin, tree):
    tree.users["no_role"].phone = "0912345699"
    tree.users["no_role"].save(update_fields=["phone"])

    response = upload(admin, ROWS + "bad user!,,0912345699,NOPE,king\n")

    assert "commit_form" not in response.context
    ((number, found),) = response.context["problems"]
    assert number == 4 and len(found) == 5, found
    assert "0912345699 is already used" in response.content.decode()
    assert not User.objects.filter(username="hoang.lan").exists()


def test_roles_outside_the_administrators_scope_are_named_not_an_error_page(client, tree):
    client.force_login(tree.users["admin_a"])
    rows = signed_rows(upload(client))
    client.force_login(make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.commune_b, username="admin_b"))

    preview = upload(client)
    applied = client.post(reverse("accounts:officers_import_commit"), {"rows": rows, "reason": "x"})
    typed = client.post(
        reverse("accounts:officer_create"),
        {"username": "x.y", "full_name": "Lê X", "phone": "", "unit": "XA", "role": "viewer", "reason": "x"},
    )

    assert [number for number, _found in preview.context["problems"]] == [2, 3]
    assert applied.status_code == 200 and applied.context["problems"]
    assert typed.status_code == 200 and "You may not grant roles in unit XA." in typed.content.decode()
    assert not User.objects.filter(username__in=["hoang.lan", "x.y"]).exists()


def test_one_officer_typed_in_gets_an_account_a_role_and_a_code(admin, tree):
    response = admin.post(
        reverse("accounts:officer_create"),
        {"username": "tran.binh", "full_name": "Trần Văn Bình", "phone": "0912 345 602", "unit": "XA-C2",
         "role": RoleKind.SUPPORTER, "reason": "QĐ 13"},
    )  # fmt: skip

    assert response.status_code == 302
    user = User.objects.get(username="tran.binh")
    assert (user.last_name, user.first_name, user.phone) == ("Trần Văn", "Bình", "0912345602")
    assert RoleAssignment.objects.filter(user=user, unit=tree.cell_a2, role=RoleKind.SUPPORTER).exists()
    (account,) = admin.get(reverse("accounts:officers_import_result")).context["result"]["accounts"]
    assert account["username"] == "tran.binh"


def test_one_officer_with_problems_shows_them_on_the_form(admin):
    response = admin.post(
        reverse("accounts:officer_create"),
        {
            "username": "bad user!",
            "full_name": "Lê X",
            "phone": "0900",
            "unit": "NOPE",
            "role": "viewer",
            "reason": "x",
        },
    )

    errors = response.context["create_form"].non_field_errors()
    assert response.status_code == 200 and len(errors) == 3, errors
    assert not User.objects.filter(username="bad user!").exists()


def test_the_codes_are_shown_only_to_the_importer(admin, client, tree):
    admin.post(reverse("accounts:officers_import_commit"), {"rows": signed_rows(upload(admin)), "reason": "QĐ 12"})
    code = admin.session["officer_import_result"]["accounts"][0]["code"]
    other = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="province_admin")
    client.force_login(other)

    pages = [client.get(reverse("accounts:officers_slips")), client.get(reverse("accounts:officers_import_result"))]

    assert all(page.status_code == 200 and code not in page.content.decode() for page in pages)


@pytest.mark.parametrize(
    "who", ["member_a1", "officer_a", "secretary_a1", "supporter", "officer_b"], ids=lambda who: who
)
def test_those_who_grant_no_role_are_refused_every_step(client, tree, who):
    client.force_login(tree.users["admin_a"])
    rows = signed_rows(upload(client))
    user = (
        make_user(role=RoleKind.SUPPORTER, unit=tree.commune_a, username="supporter")
        if who == "supporter"
        else tree.users[who]
    )
    client.force_login(user)

    answers = [
        client.get(reverse("accounts:officers_import")).status_code,
        upload(client).status_code,
        client.post(reverse("accounts:officers_import_commit"), {"rows": rows, "reason": "x"}).status_code,
        client.post(reverse("accounts:officer_create"), {"username": "x"}).status_code,
        client.get(reverse("accounts:officers_import_result")).status_code,
        client.get(reverse("accounts:officers_slips")).status_code,
    ]

    assert answers == [403] * 6
    assert not User.objects.filter(username="hoang.lan").exists()


def test_a_file_of_another_type_is_refused_with_a_clear_message(admin):
    assert "Choose a .xlsx or .csv file." in upload(admin, name="officers.docx").content.decode()


def test_the_sample_file_has_the_headings_the_import_recognises(admin):
    rows = read_table("sample.xlsx", admin.get(reverse("accounts:officers_sample")).content, HEADINGS)

    assert [choice_named(values["role"], RoleKind) for _number, values in rows] == [
        RoleKind.COMMITTEE_OFFICER,
        RoleKind.CELL_SECRETARY,
    ]
