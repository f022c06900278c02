"""Background work of the admission app. Run daily (Celery beat, or the `send_probation_reminders` command)."""

from celery import shared_task

from audit.choices import ChangeSource
from audit.context import change_context

from .services import probation_send_reminders


@shared_task
def send_probation_reminders() -> tuple[int, int]:
    """Opens the missing probation cases, then the reminders of the 11th month and of late cases; safe to run more
    than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return probation_send_reminders()
