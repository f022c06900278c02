"""The library over the API: the same selectors and services as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, page_of

from . import selectors, services
from .choices import DocumentKind
from .selectors import ReadRate

router = Router(tags=["library"])


class DocumentListOut(Schema):
    id: int
    number: str
    issued_on: datetime.date
    issuing_body: str
    kind: str
    title: str
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    published_at: datetime.datetime
    is_withdrawn: bool
    is_bookmarked: bool
    has_file: bool

    @staticmethod
    def resolve_has_file(document) -> bool:
        return bool(document.file)


class DocumentPage(Schema):
    count: int
    items: list[DocumentListOut]


class DocumentOut(Schema):
    id: int
    number: str
    issued_on: datetime.date
    issuing_body: str
    kind: str
    title: str
    summary: str
    text: str
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    published_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str
    file_url: str | None = Field(description="The PDF (same URL as the page's): stable, cacheable privately offline.")
    file_name: str
    file_size: int | None
    is_bookmarked: bool
    read_count: int = Field(
        description="How many times the signed-in member opened it (0 for users without a member record)."
    )


class DocumentFilter(Schema):
    search: TextIn = Field("", description="Words of the number, title, issuing body or summary; diacritics optional.")
    kind: DocumentKind | None = None
    year: Int64 | None = Field(None, ge=1900, le=2200, description="Year of issue.")
    issuing_body: TextIn = ""


class BookmarkOut(Schema):
    is_bookmarked: bool


class ReadOut(Schema):
    recorded: bool = Field(description="False for users without a member record: only members' reads are counted.")
    read_count: int
    first_read_at: datetime.datetime | None


class ReadRateOut(Schema):
    unit_code: str
    unit_name: str
    readers: int
    members: int
    percent: float | None = Field(description="Readers per hundred current members, one decimal; null without members.")

    @staticmethod
    def resolve_unit_code(rate: ReadRate) -> str:
        return rate.unit.code

    @staticmethod
    def resolve_unit_name(rate: ReadRate) -> str:
        return rate.unit.name


class ReadRatesIn(Schema):
    unit_code: TextIn | None = Field(None, description="A unit below the publishing unit, to see its children's rates.")


class ReadRatesOut(Schema):
    unit: ReadRateOut
    children: list[ReadRateOut]


@router.get("/documents", response={200: DocumentPage, **LIST_ERRORS}, summary="List and search documents")
def document_list_view(request, filters: Query[DocumentFilter], page: Query[PageIn]):
    """The documents the caller may read, newest first; withdrawn ones only for those who may publish on their unit."""
    documents = selectors.document_list(
        actor=request.auth,
        search=filters.search,
        kind=filters.kind or "",
        year=filters.year,
        issuing_body=filters.issuing_body,
    )
    count, items = page_of(documents, page)
    return {"count": count, "items": items}


@router.get("/bookmarks", response={200: DocumentPage, **LIST_ERRORS}, summary="The caller's bookmarked documents")
def bookmark_list_view(request, page: Query[PageIn]):
    documents = selectors.bookmarked_documents(user=request.auth)
    count, items = page_of(documents, page)
    for document in items:
        document.is_bookmarked = True
    return {"count": count, "items": items}


@router.get("/documents/{document_id}", response={200: DocumentOut, **READ_ERRORS}, summary="Read a document")
def document_detail_view(request, document_id: Int64):
    """Reading it through the API does not count as opening it: the app calls `.../read` when it shows it."""
    document = selectors.document_get(actor=request.auth, pk=document_id)
    read = selectors.read_of(user=request.auth, document=document)
    document.is_bookmarked = selectors.is_bookmarked(user=request.auth, document=document)
    document.read_count = read.read_count if read else 0
    document.file_url = reverse("library:file", args=[document.pk]) if document.file else None
    return document


@router.post(
    "/documents/{document_id}/bookmark",
    response={200: BookmarkOut, **WRITE_ERRORS},
    summary="Bookmark a document, or remove the bookmark",
)
def bookmark_toggle_view(request, document_id: Int64):
    document = selectors.document_get(actor=request.auth, pk=document_id)
    return {"is_bookmarked": services.bookmark_toggle(user=request.auth, document=document)}


@router.post(
    "/documents/{document_id}/read",
    response={200: ReadOut, **WRITE_ERRORS},
    summary="The signed-in member opened the document",
)
def read_record_view(request, document_id: Int64):
    document = selectors.document_get(actor=request.auth, pk=document_id)
    read = None if document.is_withdrawn else services.document_read_record(user=request.auth, document=document)
    if read is None:
        return {"recorded": False, "read_count": 0, "first_read_at": None}
    return {"recorded": True, "read_count": read.read_count, "first_read_at": read.first_read_at}


@router.get(
    "/documents/{document_id}/reads",
    response={200: ReadRatesOut, **WRITE_ERRORS},
    summary="Who has read a document: readers over current members, per unit",
)
def read_rates_view(request, document_id: Int64, filters: Query[ReadRatesIn]):
    """For the publishing unit (or a unit below it) and each child unit; for those who may see the members of the
    publishing unit."""
    document = selectors.document_get(actor=request.auth, pk=document_id)
    if not selectors.can_see_read_rates(user=request.auth, document=document):
        raise PermissionDenied
    unit = selectors.read_rate_unit(document=document, code=filters.unit_code)
    total, children = selectors.read_rates(document=document, unit=unit)
    return {"unit": total, "children": children}
