"""The export downloads, for the permission matrix (common/tests/matrix.py).

They are reads: a refused user gets a 404 for a unit outside their scope and no change-log row.
"""

from django.urls import reverse

from common.tests.matrix import READ, page

ENDPOINTS = [
    page("members:export", READ, "get", lambda c: reverse("members:export") + "?unit=XA&purpose=Review"),
    page(
        "members:export_7hsdv", READ, "get", lambda c: reverse("members:export_7hsdv", args=["XA"]) + "?purpose=Review"
    ),
    page(
        "members:export_registry",
        READ,
        "get",
        lambda c: reverse("members:export_registry", args=["XA-C2"]) + "?purpose=Review",
    ),
]
