"""Background work of the reports app. Run daily (Celery beat, or the `send_report_reminders` command)."""

from celery import shared_task

from audit.choices import ChangeSource
from audit.context import change_context

from .services import reports_send_reminders


@shared_task
def send_report_reminders() -> tuple[int, int]:
    """Reminders before the deadline, one digest of late units after it; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return reports_send_reminders()
