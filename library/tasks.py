"""Background work of the library: telling the members of the subtree about a new document."""

from celery import shared_task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from members.choices import CURRENT_STATUSES
from notifications.services import Message, notify

from .models import Document

NOTIFICATION_KIND = "library.document"


@shared_task
def document_published_notify_task(document_id: int) -> int:
    """Put the new document in the inbox of every current member of the subtree with an account, once."""
    document = Document.objects.select_related("unit").filter(pk=document_id, withdrawn_at__isnull=True).first()
    if document is None:
        return 0
    recipients = (
        User.objects.filter(
            is_active=True,
            member__unit__path__startswith=document.unit.path,
            member__status__in=CURRENT_STATUSES,
        )
        .exclude(pk=document.published_by_id)
        .values_list("pk", flat=True)
    )
    # Stored as written: in the members' language.
    with translation.override("vi"):
        message = Message(
            kind=NOTIFICATION_KIND,
            title=_("New document: %(number)s") % {"number": document.number},
            body=document.title,
            url=reverse("library:detail", args=[document.pk]),
            dedupe_key=f"{NOTIFICATION_KIND}.{document.pk}",
        )
    recipient_ids = list(recipients)
    notify(recipients=recipient_ids, message=message)
    return len(recipient_ids)
