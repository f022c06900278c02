"""Background work of the rating app. Run daily (Celery beat, or the `send_rating_reminders` command)."""

from celery import shared_task

from audit.choices import ChangeSource
from audit.context import change_context

from .services import rating_send_reminders


@shared_task
def send_rating_reminders() -> tuple[int, int]:
    """Reminders before the self-reviews are due, one digest per cell after; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return rating_send_reminders()
