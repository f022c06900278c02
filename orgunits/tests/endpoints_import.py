"""The units' import pages, for the permission matrix (common/tests/matrix.py).

Only those who manage units open them. An officer of another commune may upload a list: its rows under commune A
come back as wrong rows (200, naming only the codes of the file), and importing them changes nothing.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import RoleKind
from common.tabular import rows_sign
from common.tests.matrix import READ, WRITE, page
from orgunits.unit_import import read_unit_rows
from orgunits.views import UNITS_ROWS_SALT

UNITS_CSV = (
    "Mã tổ chức,Tên tổ chức,Loại tổ chức,Mã tổ chức cấp trên,Mã địa bàn\nXA-C9,Chi bộ thôn 9,attached_cell,XA,\n"
)
MANAGER = RoleKind.COMMITTEE_OFFICER


def upload_form(c):
    return {"file": SimpleUploadedFile("units.csv", UNITS_CSV.encode())}


def commit_form(c):
    return {"rows": rows_sign(read_unit_rows("units.csv", UNITS_CSV.encode()), salt=UNITS_ROWS_SALT), "reason": "x"}


ENDPOINTS = [
    # The upload answers with the preview and writes nothing: a read.
    page(
        "orgunits:import",
        READ,
        "post",
        lambda c: reverse("orgunits:import"),
        upload_form,
        hidden_text="Đảng bộ xã A",
        ancestor_role=MANAGER,
    ),
    page(
        "orgunits:import_commit",
        WRITE,
        "post",
        lambda c: reverse("orgunits:import_commit"),
        commit_form,
        hidden_text="Đảng bộ xã A",
        ancestor_role=MANAGER,
    ),
    page(
        "orgunits:import_result",
        READ,
        "get",
        lambda c: reverse("orgunits:import_result"),
        hidden_text="Đảng bộ xã A",
        ancestor_role=MANAGER,
    ),
]

# The sample file names no unit.
SIGNED_IN_ONLY = ["orgunits:import_sample"]
