"""Background work of the correction workflow. Run daily (Celery beat, or the `escalate_corrections` command)."""

from celery import shared_task

from audit.choices import ChangeSource
from audit.context import change_context

from .services import correction_requests_escalate


@shared_task
def escalate_overdue_corrections() -> int:
    """Move overdue requests up one level; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return correction_requests_escalate()
