import pathlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField
from common.storage import PrivateStorage

from .choices import DocumentKind

# A document's full text (a resolution, a law) runs to many pages; this is about forty.
DOCUMENT_TEXT_MAX_LENGTH = 100_000


def private_storage() -> PrivateStorage:
    """Where the PDF files of documents are kept; the migrations name this function, so it stays here."""
    return PrivateStorage(refusal="Library files have no public URL: use library:file.")


def document_file_name(instance, filename: str) -> str:
    # A random name: the uploaded name never reaches the disk (it is kept in `file_name` for downloads).
    return str(pathlib.PurePosixPath("library", f"{uuid.uuid4().hex}.pdf"))


class Document(models.Model):
    """A document published to a unit's subtree: a resolution, directive, regulation, guidance or meeting material.

    Everyone whose place is in the subtree (members of its cells, users with roles on its units) and the
    officials above it may read it. It is withdrawn, never deleted; both steps are in the change log.
    """

    number = models.CharField(_("number and symbol"), max_length=64, help_text=_("For example 45-NQ/TW."))
    issued_on = models.DateField(_("issued on"))
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=500)
    summary = BoundedTextField(_("summary"), blank=True)
    text = BoundedTextField(_("text"), blank=True, max_length=DOCUMENT_TEXT_MAX_LENGTH)
    file = models.FileField(
        _("PDF file"), upload_to=document_file_name, storage=private_storage, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)

    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("published to"), on_delete=models.PROTECT, related_name="library_documents"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    # Number, title, issuing body and the start of the summary, lower case without diacritics (common.text).
    search_text = models.CharField(max_length=1000, db_index=True, editable=False)

    # The stored name is random (file_name and file_size are logged); the search column is derived.
    AUDIT_EXCLUDE = ("search_text", "file")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-published_at"], name="library_doc_unit_published"),
            models.Index(fields=["issued_on"], name="library_doc_issued_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"[:300]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Bookmark(models.Model):
    """A document a user keeps at hand."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_bookmarks")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="library_one_bookmark_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.document_id}"


class DocumentRead(models.Model):
    """A member opened a document: when first and last, and how many times. Read rates count these rows."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="library_reads")
    first_read_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(default=timezone.now)
    read_count = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("document read")
        verbose_name_plural = _("document reads")
        constraints = [models.UniqueConstraint(fields=["document", "member"], name="library_one_read_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.document_id} ×{self.read_count}"
