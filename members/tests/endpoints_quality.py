"""The data-quality page, for the permission matrix (common/tests/matrix.py)."""

from django.urls import reverse

from common.tests.matrix import READ, page

ENDPOINTS = [
    page("members:quality", READ, "get", lambda c: reverse("members:quality") + "?unit=XA"),
]
