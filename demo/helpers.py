"""What the demo world, its story and the synthetic sets share: weighted draws, proportional splits, dates."""

import datetime
import random

from django.core.management.color import no_style
from django.db import connection

# Communes and wards as they stand since the reorganisation of 1 July 2025: demo and synthetic units open then.
REORGANISED_ON = datetime.date(2025, 7, 1)

DEMO_PASSWORD = "sotay-demo-2026"
DEMO_REASON = "Dữ liệu mẫu"


def weighted(rng: random.Random, options):
    """Pick from (value..., weight) tuples: the last item is the weight, the rest is the value."""
    values = [option[:-1] if len(option) > 2 else option[0] for option in options]
    return rng.choices(values, weights=[option[-1] for option in options])[0]


def weighted_spread(total: int, weights: list[float], *, minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights`, each part at least `minimum` (when that fits), summing to `total`."""
    if not weights:
        return []
    minimum = minimum if minimum * len(weights) <= total else 0
    spare = total - minimum * len(weights)
    scale = spare / sum(weights)
    exact = [weight * scale for weight in weights]
    parts = [int(value) for value in exact]
    for index in sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)[: spare - sum(parts)]:
        parts[index] += 1
    return [minimum + part for part in parts]


def lower_first(text: str) -> str:
    """ "Phường Phố Hiến" → "phường Phố Hiến", for the middle of an address."""
    return text[:1].lower() + text[1:]


def reset_sequences(*models) -> None:
    """Rows were written with explicit ids (COPY, bulk_create): move the models' id sequences past them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)
