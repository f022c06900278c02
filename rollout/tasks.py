"""Background work of the rollout: the nightly check that the counters still equal a recount."""

import logging

from celery import shared_task

from .recount import find_differences

logger = logging.getLogger("sotay.rollout")


@shared_task
def rollout_counters_check() -> int:
    """Recount every unit and log each difference (there should be none). Returns how many were found."""
    differences = find_differences()
    for difference in differences:
        logger.error(
            "Rollout counter differs: %s %s %s kept=%s counted=%s",
            difference.unit_code,
            difference.where,
            difference.field,
            difference.kept,
            difference.counted,
        )
    return len(differences)
