"""Background work of notices: the fan-out of one notice, the count of its read rates, and the periodic publisher of
scheduled ones."""

from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notice_fan_out_task(notice_id: int) -> bool:
    from .services import notice_fan_out

    return notice_fan_out(notice_id=notice_id)


@shared_task
def notices_publish_due() -> int:
    """Run every minute or so (Celery beat, or cron with `manage.py publish_due_notices`)."""
    from .services import notices_publish_due as publish_due

    return publish_due()


@shared_task
def notice_read_rates_count_task(notice_id: int) -> None:
    """Not retried: the next overseer to open the notice asks for a new count."""
    from .selectors import notice_read_rates_count

    notice_read_rates_count(notice_id)
