"""Correcting a published document: details and text, with the reason kept in its history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import ChangeLog
from common.tests.clients import english_client
from library.models import Document
from library.services import document_update, document_withdraw
from library.tests.factories import make_document, pdf_upload


def test_an_officer_corrects_the_number_and_the_old_value_stays_in_the_history(tree):
    document = make_document(unit=tree.commune_a, number="12-NQ/ĐU", title="Nghị quyết chuyên đề")

    document_update(actor=tree.users["officer_a"], document=document, reason="Sai số hiệu", number="13-NQ/ĐU")

    document.refresh_from_db()
    assert document.number == "13-NQ/ĐU"
    assert "13-nq" in document.search_text.lower()
    entry = ChangeLog.objects.for_object(document).latest("pk")
    assert (entry.prechange_data["number"], entry.postchange_data["number"], entry.reason) == (
        "12-NQ/ĐU",
        "13-NQ/ĐU",
        "Sai số hiệu",
    )


def test_a_correction_needs_a_reason_a_past_date_and_text_or_a_file(tree):
    document = make_document(unit=tree.commune_a)
    officer = tree.users["officer_a"]

    with pytest.raises(ValidationError) as raised:
        document_update(actor=officer, document=document, reason=" ", title="Khác")
    assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        document_update(actor=officer, document=document, reason="Sửa", issued_on=datetime.date(2999, 1, 1))
    assert "issued_on" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        document_update(actor=officer, document=document, reason="Sửa", text="")
    assert "text" in raised.value.message_dict
    with pytest.raises(ValidationError):
        document_update(actor=officer, document=document, reason="Sửa", unit=tree.commune_b)
    assert Document.objects.get(pk=document.pk).title == document.title

    with_file = make_document(unit=tree.commune_a, upload=pdf_upload(), text="")
    document_update(actor=officer, document=with_file, reason="Bỏ phần trích", text="")


def test_only_publishers_of_the_unit_correct_and_never_a_withdrawn_document(tree):
    document = make_document(unit=tree.commune_a)
    for user in (tree.users["officer_b"], tree.users["member_a1"], tree.users["province_viewer"]):
        with pytest.raises(PermissionDenied):
            document_update(actor=user, document=document, reason="Sửa", title="Khác")

    document_withdraw(actor=tree.users["officer_a"], document=document, reason="Ban hành nhầm")
    with pytest.raises(ValidationError):
        document_update(actor=tree.users["officer_a"], document=document, reason="Sửa", title="Khác")


def test_the_page_corrects_the_title(tree):
    document = make_document(unit=tree.commune_a, title="Nghị quyết chuyên đề")
    client = english_client()
    client.force_login(tree.users["officer_a"])
    assert (
        reverse("library:edit", args=[document.pk])
        in client.get(reverse("library:detail", args=[document.pk])).content.decode()
    )
    form = {
        "number": document.number,
        "issued_on": document.issued_on.isoformat(),
        "issuing_body": document.issuing_body,
        "kind": document.kind,
        "title": "Nghị quyết chuyên đề số 2",
        "summary": "",
        "text": document.text,
        "reason": "Thiếu số",
    }

    response = client.post(reverse("library:edit", args=[document.pk]), form)

    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).title == "Nghị quyết chuyên đề số 2"
    client.force_login(tree.users["member_a1"])
    assert client.get(reverse("library:edit", args=[document.pk])).status_code == 403
