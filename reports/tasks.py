"""Background work of the reports app. Run daily (Celery beat, or the `send_report_reminders` command)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from audit.choices import ChangeSource
from audit.context import change_context

from .services import campaign_prefill, campaigns_prefill_pending, reports_send_reminders


@shared_task
def send_report_reminders() -> tuple[int, int]:
    """Reminders before the deadline, one digest of late units after it; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        campaigns_prefill_pending()
        return reports_send_reminders()


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=10)
def campaign_prefill_task(campaign_id: int) -> int:
    """Pre-fill a large campaign's reports (issued without their figures so that issuing answers at once)."""
    with change_context(source=ChangeSource.SYSTEM):
        return campaign_prefill(campaign_id=campaign_id)
