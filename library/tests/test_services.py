"""Publishing, withdrawing, bookmarks and reads, through the services."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from audit.choices import ChangeAction
from audit.models import ChangeLog
from library.choices import DocumentKind
from library.models import Bookmark, Document, DocumentRead
from library.services import bookmark_toggle, document_publish, document_read_record, document_withdraw
from library.tests.factories import PDF_BYTES, make_document, pdf_upload

DATA = {
    "number": "45-NQ/TW",
    "issued_on": datetime.date(2025, 1, 24),
    "issuing_body": "Ban Chấp hành Trung ương",
    "kind": DocumentKind.RESOLUTION,
    "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ",
}


def publish(tree, **overrides):
    actor = overrides.pop("actor", tree.users["officer_a"])
    data = {**DATA, "notify_members": False, **overrides}
    return document_publish(actor=actor, unit=tree.commune_a, **data)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language."""
    with translation.override("en"):
        yield


def test_an_officer_publishes_a_pdf_to_their_commune_stored_under_a_generated_name(tree):
    document = publish(tree, upload=pdf_upload("Nghị quyết 45 (bản chính).pdf"))

    assert document.unit == tree.commune_a
    assert document.published_by == tree.users["officer_a"]
    assert document.file_name == "Nghị quyết 45 (bản chính).pdf"
    assert document.file_size == len(PDF_BYTES)
    assert re.fullmatch(r"library/[0-9a-f]{32}\.pdf", document.file.name)
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_publishing_writes_the_creation_row_of_the_change_log(tree):
    document = publish(tree, text="Toàn văn")

    entry = ChangeLog.objects.get(object_id=document.pk, object_type__model="document")
    assert entry.action == ChangeAction.CREATE
    assert entry.postchange_data["number"] == "45-NQ/TW"
    assert entry.unit == tree.commune_a


def test_the_search_column_holds_the_words_without_diacritics(tree):
    document = publish(tree, text="x", summary="Đổi mới sáng tạo")

    assert "nghi quyet ve dot pha phat trien khoa hoc" in document.search_text
    assert "45-nq/tw" in document.search_text
    assert "doi moi sang tao" in document.search_text


def test_a_renamed_file_that_is_not_a_pdf_is_refused(tree):
    fake = pdf_upload("nghi-quyet.pdf", b"PK\x03\x04 this is a zip renamed to .pdf")

    with pytest.raises(ValidationError) as error:
        publish(tree, upload=fake)

    assert error.value.message_dict["file"] == ["The file is not a PDF document."]
    assert not Document.objects.exists()


@override_settings(LIBRARY_MAX_FILE_BYTES=100)
def test_a_pdf_over_the_size_limit_is_refused(tree):
    big = pdf_upload(content=b"%PDF-1.7\n" + b"0" * 200)

    with pytest.raises(ValidationError) as error:
        publish(tree, upload=big)

    assert "larger than" in error.value.message_dict["file"][0]
    assert not Document.objects.exists()


def test_a_document_needs_its_file_or_its_text(tree):
    with pytest.raises(ValidationError) as error:
        publish(tree)

    assert error.value.message_dict["file"] == ["Attach the PDF file or type the text of the document."]


def test_a_date_of_issue_in_the_future_is_refused_with_the_other_errors(tree):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        publish(tree, issued_on=tomorrow, title="", text="x")

    assert error.value.message_dict["issued_on"] == ["The date of issue cannot be in the future."]
    assert "title" in error.value.message_dict


def test_publishing_needs_the_publish_permission_on_the_unit(tree):
    with pytest.raises(PermissionDenied):
        publish(tree, actor=tree.users["officer_b"], text="x")
    with pytest.raises(PermissionDenied):
        publish(tree, actor=tree.users["province_viewer"], text="x")
    assert not Document.objects.exists()


def test_a_withdrawal_keeps_the_document_and_logs_the_reason(tree):
    document = make_document(unit=tree.commune_a)

    document_withdraw(actor=tree.users["officer_a"], document=document, reason="Ban hành nhầm")

    document.refresh_from_db()
    assert document.withdrawn_at is not None
    assert document.withdrawn_by == tree.users["officer_a"]
    entry = ChangeLog.objects.get(object_id=document.pk, object_type__model="document", action=ChangeAction.STATUS)
    assert entry.reason == "Ban hành nhầm"
    assert entry.prechange_data["withdrawn_at"] is None
    assert entry.postchange_data["withdrawn_at"] is not None


def test_a_withdrawal_needs_a_reason_and_happens_once(tree):
    document = make_document(unit=tree.commune_a)
    with pytest.raises(ValidationError):
        document_withdraw(actor=tree.users["officer_a"], document=document, reason=" ")

    document_withdraw(actor=tree.users["officer_a"], document=document, reason="Hết hiệu lực")
    with pytest.raises(ValidationError):
        document_withdraw(actor=tree.users["officer_a"], document=document, reason="Lần nữa")


def test_a_sibling_officer_cannot_withdraw(tree):
    document = make_document(unit=tree.commune_a)

    with pytest.raises(PermissionDenied):
        document_withdraw(actor=tree.users["officer_b"], document=document, reason="x")

    document.refresh_from_db()
    assert document.withdrawn_at is None


def test_a_bookmark_toggles_on_and_off(tree):
    document = make_document(unit=tree.commune_a)
    user = tree.users["member_a1"]

    assert bookmark_toggle(user=user, document=document) is True
    assert Bookmark.objects.filter(user=user, document=document).count() == 1
    assert bookmark_toggle(user=user, document=document) is False
    assert not Bookmark.objects.filter(user=user, document=document).exists()


def test_a_member_reading_twice_counts_one_reader_and_two_opens(tree):
    document = make_document(unit=tree.commune_a)
    user = tree.users["member_a1"]

    first = document_read_record(user=user, document=document)
    second = document_read_record(user=user, document=document)

    assert DocumentRead.objects.filter(document=document).count() == 1
    assert second.read_count == 2
    assert second.first_read_at == first.first_read_at
    assert second.last_read_at >= first.last_read_at


def test_an_official_without_a_member_record_leaves_no_read(tree):
    document = make_document(unit=tree.commune_a)

    assert document_read_record(user=tree.users["officer_a"], document=document) is None
    assert not DocumentRead.objects.exists()
