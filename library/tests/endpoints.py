"""The library pages and API operations, for the permission matrix (common/tests/matrix.py)."""

from django.urls import reverse

from common.tests.matrix import LIST, READ, WRITE, api, page
from library.tests.factories import make_document, pdf_upload

TITLE = "Nghị quyết về chuyển đổi số của xã A"


def with_document(tree) -> dict:
    return {"document": make_document(unit=tree.commune_a, title=TITLE, upload=pdf_upload())}


def detail(name):
    return lambda c: reverse(name, args=[c.document.pk])


PUBLISH = {
    "number": "12-NQ/ĐU",
    "issued_on": "2025-07-01",
    "issuing_body": "Đảng ủy xã A",
    "kind": "resolution",
    "title": "Nghị quyết chuyên đề",
    "text": "Toàn văn.",
}

ENDPOINTS = [
    page("library:list", LIST, "get", lambda c: reverse("library:list"), prepare=with_document, hidden_text=TITLE),
    page("library:detail", READ, "get", detail("library:detail"), prepare=with_document),
    page("library:file", READ, "get", detail("library:file"), prepare=with_document),
    page("library:reads", READ, "get", detail("library:reads"), prepare=with_document),
    page("library:bookmark", WRITE, "post", detail("library:bookmark"), lambda c: {}, prepare=with_document),
    page(
        "library:edit",
        WRITE,
        "post",
        detail("library:edit"),
        lambda c: {**PUBLISH, "reason": "Sửa số hiệu"},
        prepare=with_document,
    ),
    page(
        "library:withdraw",
        WRITE,
        "post",
        detail("library:withdraw"),
        lambda c: {"reason": "Ban hành nhầm"},
        prepare=with_document,
    ),
    page(
        "library:publish",
        WRITE,
        "post",
        lambda c: reverse("library:publish"),
        lambda c: {**PUBLISH, "unit": c.commune_a.pk},
        hidden_text="Đảng bộ xã A",
    ),
    api(
        "get",
        "/library/documents",
        LIST,
        lambda c: "/api/library/documents",
        prepare=with_document,
        hidden_text=TITLE,
    ),
    api(
        "get",
        "/library/documents/{document_id}",
        READ,
        lambda c: f"/api/library/documents/{c.document.pk}",
        prepare=with_document,
    ),
    api(
        "post",
        "/library/documents/{document_id}/bookmark",
        WRITE,
        lambda c: f"/api/library/documents/{c.document.pk}/bookmark",
        prepare=with_document,
    ),
    api(
        "post",
        "/library/documents/{document_id}/read",
        WRITE,
        lambda c: f"/api/library/documents/{c.document.pk}/read",
        prepare=with_document,
    ),
    api(
        "get",
        "/library/documents/{document_id}/reads",
        READ,
        lambda c: f"/api/library/documents/{c.document.pk}/reads",
        prepare=with_document,
    ),
]

# The user's own bookmarks.
SIGNED_IN_ONLY = ["library:bookmarks", "get /api/library/bookmarks"]
