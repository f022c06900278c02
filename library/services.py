"""Writes of the library: publish and withdraw documents, bookmarks, reads."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_update, snapshot
from common.freshness import DOCUMENTS, changed, unit_token, user_token
from common.queueing import enqueue_on_commit
from common.text import fold_for_search, normalize_name
from orgunits.models import Unit

from . import conf
from .models import Bookmark, Document, DocumentRead

PDF_SIGNATURE = b"%PDF-"
# The start of the summary that goes into the search column (its whole length fits a plain index).
SEARCH_TEXT_LENGTH = 1000


def document_search_text(document: Document) -> str:
    parts = [document.number, document.title, document.issuing_body, document.summary]
    return fold_for_search(" ".join(part for part in parts if part))[:SEARCH_TEXT_LENGTH]


def check_pdf(upload) -> None:
    """A PDF no bigger than the limit, recognised by its first bytes whatever the file is called."""
    limit = conf.max_file_bytes()
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(size)s MB.") % {"size": round(limit / (1024 * 1024), 1)}}
        )
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError({"file": _("The file is not a PDF document.")})


@transaction.atomic
def _raise_if_invalid(document: Document, errors: dict) -> None:
    """Add the checks every document passes to `errors` (messages by field) and raise them, if any."""
    if document.issued_on and document.issued_on > timezone.localdate():
        errors["issued_on"] = [_("The date of issue cannot be in the future.")]
    try:
        document.full_clean(exclude=["file", "search_text"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def document_publish(
    *,
    actor: User,
    unit: Unit,
    number: str,
    issued_on: datetime.date,
    issuing_body: str,
    kind: str,
    title: str,
    summary: str = "",
    text: str = "",
    upload=None,
    notify_members: bool = True,
) -> Document:
    """Publish a document to `unit`'s subtree. It needs its PDF file or its text; members are told once."""
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
    document = Document(
        unit=unit,
        number=normalize_name(number),
        issued_on=issued_on,
        issuing_body=normalize_name(issuing_body),
        kind=kind,
        title=normalize_name(title),
        summary=(summary or "").strip(),
        text=(text or "").strip(),
        published_by=actor,
        published_at=timezone.now(),
    )
    errors = {}
    if upload is None and not document.text:
        errors["file"] = [_("Attach the PDF file or type the text of the document.")]
    if upload is not None:
        try:
            check_pdf(upload)
        except ValidationError as error:
            errors.update(error.message_dict)
    _raise_if_invalid(document, errors)
    document.search_text = document_search_text(document)
    if upload is not None:
        document.file_name = (upload.name or "document.pdf").replace("\\", "/").rsplit("/", 1)[-1][:200]
        document.file_size = upload.size
        document.file.save("document.pdf", upload, save=False)
    try:
        document.save()
        creation_log(actor=actor, obj=document, unit=unit)
    except Exception:
        # Leave no stored file without its row (a rollback further out may still orphan one: it has a random name).
        if document.file:
            document.file.storage.delete(document.file.name)
        raise
    changed(unit_token(unit.path, DOCUMENTS))
    if notify_members:
        enqueue_on_commit("library.tasks.document_published_notify_task", document.pk)
    return document


EDITABLE_FIELDS = ("number", "issued_on", "issuing_body", "kind", "title", "summary", "text")


@transaction.atomic
def document_update(*, actor: User, document: Document, reason: str, **data) -> Document:
    """Correct a published document's details or text (a typo in the number, a better summary); the change
    log keeps the earlier values and the reason. The PDF itself is not replaced: withdraw and publish again."""
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, document.unit)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_withdrawn:
        raise ValidationError(_("This document is withdrawn: it can no longer be changed."))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These details cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say what was corrected and why.")]
    before = snapshot(document)
    for field, value in data.items():
        if field in ("number", "issuing_body", "title"):
            value = normalize_name(value or "")
        elif field in ("summary", "text"):
            value = (value or "").strip()
        setattr(document, field, value)
    if not document.file and not document.text:
        errors["text"] = [_("Attach the PDF file or type the text of the document.")]
    _raise_if_invalid(document, errors)
    document.search_text = document_search_text(document)
    document.save()
    change_log(
        actor=actor,
        obj=document,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(document),
        reason=reason,
        unit=document.unit,
    )
    changed(unit_token(document.unit.path, DOCUMENTS))
    return document


@transaction.atomic
def document_withdraw(*, actor: User, document: Document, reason: str) -> Document:
    """Take a document out of the library; it stays in the change log and in the publishers' list."""
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, document.unit)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_withdrawn:
        raise ValidationError(_("This document is already withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    model_update(
        document,
        data={"withdrawn_at": timezone.now(), "withdrawn_by": actor, "withdrawal_reason": reason[:500]},
        actor=actor,
        action=ChangeAction.STATUS,
        reason=reason,
        unit=document.unit,
        clean_exclude=["file", "search_text"],
        update_fields=True,
    )
    changed(unit_token(document.unit.path, DOCUMENTS))
    return document


@transaction.atomic
def bookmark_toggle(*, user, document: Document) -> bool:
    """Keep or drop a bookmark; returns whether the document is bookmarked now. The caller fetched it in scope."""
    changed(user_token(user.pk))  # the documents list marks the bookmarked ones (members.kept_pages)
    deleted, _rows = Bookmark.objects.filter(user=user, document=document).delete()
    if deleted:
        return False
    # get_or_create, not create: a second tap at the same moment finds the first one's bookmark.
    Bookmark.objects.get_or_create(user=user, document=document)
    return True


@transaction.atomic
def document_read_record(*, user, document: Document) -> DocumentRead | None:
    """A member opened the document: the first time creates the row, later times count. Others leave no trace."""
    if not user.member_id:
        return None
    now = timezone.now()
    updated = DocumentRead.objects.filter(document=document, member_id=user.member_id).update(
        read_count=F("read_count") + 1, last_read_at=now
    )
    if not updated:
        changed(user_token(user.pk))  # the home lists the documents the member has not opened yet
        try:
            with transaction.atomic():
                return DocumentRead.objects.create(
                    document=document, member_id=user.member_id, first_read_at=now, last_read_at=now
                )
        except IntegrityError:
            DocumentRead.objects.filter(document=document, member_id=user.member_id).update(
                read_count=F("read_count") + 1, last_read_at=now
            )
    return DocumentRead.objects.get(document=document, member_id=user.member_id)
