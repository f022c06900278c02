"""Background work of the transfers app. Run daily (Celery beat, or the `send_transfer_reminders` command)."""

from celery import shared_task

from audit.choices import ChangeSource
from audit.context import change_context

from .services import transfers_send_reminders


@shared_task
def send_transfer_reminders() -> int:
    """Reminders of the letters' and the presentations' deadlines; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return transfers_send_reminders()
