"""The officers' page, for the permission matrix (common/tests/matrix.py).

Only those who grant roles open it. An administrator of another commune may upload a list: its rows on commune A
come back as wrong rows (200, naming only the codes of the file), and importing them changes nothing. The codes of
new accounts live in the importer's session: another user's result and slips pages are empty.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.officers.services import read_officer_rows
from accounts.officers.views import OFFICERS_ROWS_SALT
from common.tabular import rows_sign
from common.tests.matrix import READ, WRITE, page

OFFICERS_CSV = (
    "Tên đăng nhập,Họ và tên,Số điện thoại,Mã tổ chức,Vai trò\nmatrix.officer,Lê Văn Ma,,XA-C1,cell_secretary\n"
)
GRANTER = RoleKind.COMMITTEE_ADMIN
HIDDEN = "Đảng bộ xã A"


def upload_form(c):
    return {"file": SimpleUploadedFile("officers.csv", OFFICERS_CSV.encode())}


def commit_form(c):
    rows = read_officer_rows("officers.csv", OFFICERS_CSV.encode())
    return {"rows": rows_sign(rows, salt=OFFICERS_ROWS_SALT), "reason": "x"}


def create_form(c):
    return {
        "username": "matrix.officer",
        "full_name": "Lê Văn Ma",
        "phone": "",
        "unit": "XA-C1",
        "role": RoleKind.CELL_SECRETARY,
        "reason": "x",
    }


CULTURE_OFFICER = "Phạm Thị Văn Hóa"


def with_civic_role(tree) -> dict:
    """Commune A's People's Committee and the Culture–Society officer who follows its campaigns."""
    from accounts.choices import CivicRoleKind
    from accounts.tests.factories import make_civic_role, make_user
    from orgunits.choices import OrganisationKind
    from orgunits.tests.factories import make_organisation

    committee = make_organisation(area=tree.area_a, kind=OrganisationKind.PEOPLES_COMMITTEE, code="UBND-XA")
    officer = make_user(username="vanhoa_xa", first_name="Văn Hóa", last_name="Phạm Thị")
    role = make_civic_role(user=officer, kind=CivicRoleKind.CULTURE_SOCIETY_OFFICER, place=committee)
    return {"civic_role": role}


ENDPOINTS = [
    # Refused granters get the form again (commune A's village is none of their places); the roles held on commune
    # A's places are not listed to them.
    page(
        "accounts:civic_roles",
        WRITE,
        "post",
        lambda c: reverse("accounts:civic_roles"),
        lambda c: {
            "kind": "village_head",
            "place": "AR-XA-T1",
            "username": "matrix.head",
            "full_name": "Lê Văn Trưởng",
        },
        prepare=with_civic_role,
        hidden_text=CULTURE_OFFICER,
    ),
    page(
        "accounts:civic_role_revoke",
        WRITE,
        "post",
        lambda c: reverse("accounts:civic_role_revoke", args=[c.civic_role.pk]),
        lambda c: {"reason": "x"},
        prepare=with_civic_role,
    ),
    # The upload answers with the preview and writes nothing: a read.
    page(
        "accounts:officers_import",
        READ,
        "post",
        lambda c: reverse("accounts:officers_import"),
        upload_form,
        hidden_text=HIDDEN,
        ancestor_role=GRANTER,
    ),
    page(
        "accounts:officers_import_commit",
        WRITE,
        "post",
        lambda c: reverse("accounts:officers_import_commit"),
        commit_form,
        hidden_text=HIDDEN,
    ),
    page(
        "accounts:officer_create",
        WRITE,
        "post",
        lambda c: reverse("accounts:officer_create"),
        create_form,
        hidden_text=HIDDEN,
    ),
    page(
        "accounts:officers_import_result",
        READ,
        "get",
        lambda c: reverse("accounts:officers_import_result"),
        hidden_text=HIDDEN,
        ancestor_role=GRANTER,
    ),
    page(
        "accounts:officers_slips",
        READ,
        "get",
        lambda c: reverse("accounts:officers_slips"),
        hidden_text=HIDDEN,
        ancestor_role=GRANTER,
    ),
]

# The sample file names no unit.
SIGNED_IN_ONLY = ["accounts:officers_sample"]
