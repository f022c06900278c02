import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from common.tests.serials import Serial
from library.choices import DocumentKind
from library.services import document_publish

_serial = Serial()

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "Nghị quyết 45.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(*, unit, actor=None, upload=None, **overrides):
    serial = next(_serial)
    data = {
        "number": f"{serial}-NQ/TW",
        "issued_on": datetime.date(2025, 6, 1),
        "issuing_body": "Ban Chấp hành Trung ương",
        "kind": DocumentKind.RESOLUTION,
        "title": f"Nghị quyết số {serial}",
        "summary": "",
        "text": "Toàn văn nghị quyết.",
        "notify_members": False,
    }
    data.update(overrides)
    return document_publish(actor=actor, unit=unit, upload=upload, **data)
