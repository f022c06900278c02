"""Background work of the meetings app (runs eagerly without a broker)."""

from celery import shared_task

from orgunits.models import Unit


@shared_task
def absence_flags_task(unit_id: int, year: int) -> int:
    from .services import absence_flags_record

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    return len(absence_flags_record(unit=unit, year=year))


@shared_task
def series_generate_all_task() -> int:
    """Run daily (celery beat): every open series gets its meetings for the coming months."""
    from .services import series_generate_all

    return series_generate_all()
