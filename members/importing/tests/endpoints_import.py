"""The roster import pages, for the permission matrix (common/tests/matrix.py).

A job is reachable by whoever may change members in the unit it imports into: outside that scope it is a 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import RoleKind
from common.tests.matrix import READ, WRITE, api, page
from members.importing import services
from members.importing.tests.test_import import roster_csv, row_for
from members.tests.factories import member_data


def _roster(tree) -> bytes:
    return roster_csv([row_for(member_data(unit=tree.cell_a2, full_name="Đỗ Văn Nhập"))])


def upload_form(c):
    return {"unit": "XA", "file": SimpleUploadedFile("roster.csv", _roster(c)), "encoding": "", "sheet_name": ""}


def uploaded_job(tree) -> dict:
    job = services.import_job_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        uploaded_file=SimpleUploadedFile("roster.csv", _roster(tree)),
    )
    return {"job": job}


def previewed_job(tree) -> dict:
    job = uploaded_job(tree)["job"]
    return {"job": services.import_job_preview(actor=tree.users["officer_a"], job=job)}


def committed_job(tree) -> dict:
    job = previewed_job(tree)["job"]
    return {"job": services.import_job_commit(actor=tree.users["officer_a"], job=job)}


def conflicting_job(tree) -> dict:
    """A previewed job whose one row names another person under member A1's card number."""
    born = tree.member_a1.date_of_birth
    row = row_for(tree.member_a1, full_name="Lê Thanh Lan", date_of_birth=born.replace(day=1 if born.day != 1 else 2))
    job = services.import_job_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        uploaded_file=SimpleUploadedFile("roster.csv", roster_csv([row])),
    )
    job = services.import_job_preview(actor=tree.users["officer_a"], job=job)
    return {"job": job, "row": job.rows.get()}


def column_of(job, field: str) -> str:
    return next(index for index, mapped in job.mapping.items() if mapped == field)


def mapping_form(c):
    return {f"column_{index}": field for index, field in c.job.mapping.items()} | {"remember": "on"}


# Import jobs are for those who may change members; a viewer does not see them.
IMPORTER = RoleKind.COMMITTEE_OFFICER

ENDPOINTS = [
    page("members:import", WRITE, "post", lambda c: reverse("members:import"), upload_form, hidden_text="Đảng bộ xã A"),
    page(
        "members:import_detail",
        READ,
        "get",
        lambda c: reverse("members:import_detail", args=[c.job.pk]),
        prepare=previewed_job,
        ancestor_role=IMPORTER,
    ),
    page(
        "members:import_progress",
        READ,
        "get",
        lambda c: reverse("members:import_progress", args=[c.job.pk]),
        prepare=previewed_job,
        ancestor_role=IMPORTER,
    ),
    page(
        "members:import_mapping",
        WRITE,
        "post",
        lambda c: reverse("members:import_mapping", args=[c.job.pk]),
        mapping_form,
        prepare=uploaded_job,
    ),
    page(
        "members:import_commit",
        WRITE,
        "post",
        lambda c: reverse("members:import_commit", args=[c.job.pk]),
        lambda c: {},
        prepare=previewed_job,
    ),
    page(
        "members:import_row_decide",
        WRITE,
        "post",
        lambda c: reverse("members:import_row_decide", args=[c.job.pk, c.row.pk]),
        lambda c: {"decision": "skip"},
        prepare=conflicting_job,
    ),
    page(
        "members:import_row_edit",
        WRITE,
        "post",
        lambda c: reverse("members:import_row_edit", args=[c.job.pk, c.row.pk]),
        lambda c: {f"cell-{column_of(c.job, 'full_name')}": "Lê Thanh Lành"},
        prepare=conflicting_job,
    ),
    page(
        "members:import_remap_column",
        WRITE,
        "post",
        lambda c: reverse("members:import_remap_column", args=[c.job.pk]),
        lambda c: {"column": column_of(c.job, "card_number"), "field": "citizen_id"},
        prepare=previewed_job,
    ),
    api(
        "post",
        "/imports",
        WRITE,
        lambda c: "/api/imports",
        lambda c: {"unit_code": "XA", "file": SimpleUploadedFile("roster.csv", _roster(c))},
        multipart=True,
        ancestor_role=IMPORTER,
    ),
    api(
        "get",
        "/imports/{job_id}",
        READ,
        lambda c: f"/api/imports/{c.job.pk}",
        prepare=previewed_job,
        ancestor_role=IMPORTER,
    ),
    api(
        "post",
        "/imports/{job_id}/rows/{row_id}/decision",
        WRITE,
        lambda c: f"/api/imports/{c.job.pk}/rows/{c.row.pk}/decision",
        lambda c: {"decision": "skip"},
        prepare=conflicting_job,
    ),
    api(
        "get",
        "/imports/{job_id}/rows",
        READ,
        lambda c: f"/api/imports/{c.job.pk}/rows",
        prepare=previewed_job,
        ancestor_role=IMPORTER,
    ),
    api(
        "post",
        "/imports/{job_id}/mapping",
        WRITE,
        lambda c: f"/api/imports/{c.job.pk}/mapping",
        lambda c: {"mapping": c.job.mapping},
        prepare=uploaded_job,
        ancestor_role=IMPORTER,
    ),
    api(
        "post",
        "/imports/{job_id}/commit",
        WRITE,
        lambda c: f"/api/imports/{c.job.pk}/commit",
        prepare=previewed_job,
        ancestor_role=IMPORTER,
    ),
]

# The list of fields a column can hold is the same for everyone.
SIGNED_IN_ONLY = ["get /api/imports/fields", "members:import_sample"]
