"""The data-quality and access-log pages, for the permission matrix (common/tests/matrix.py)."""

from django.urls import reverse

from accounts.choices import RoleKind
from common.tests.matrix import READ, WRITE, page

ENDPOINTS = [
    page("members:quality", READ, "get", lambda c: reverse("members:quality") + "?unit=XA"),
    page(
        "members:quality-refresh", WRITE, "post", lambda c: reverse("members:quality-refresh"), lambda c: {"unit": "XA"}
    ),
    page(
        "members:access_log",
        READ,
        "get",
        lambda c: reverse("members:access_log") + "?unit=XA",
        ancestor_role=RoleKind.COMMITTEE_ADMIN,
    ),
]
