"""Choice labels read cheaply, for the fields a list page shows once a row.

Django's `get_<field>_display()` (`Model._get_FIELD_display`) builds a dict of all the field's choices on every
call: on a ward's page of 150 cells, or a page of 50 members, that is most of what a row costs to render. A model
may define its own `get_<field>_display()` (Django then adds none) returning `choice_label(<Choices>, value)`.
"""

import functools

from django.db import models
from django.utils.encoding import force_str


@functools.cache
def _labels(choices: type[models.Choices]) -> dict:
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value):
    """What `get_<field>_display()` gives for `value` of a field whose choices are `choices`: the label in the
    active language, or the value itself when it is not one of them."""
    return force_str(_labels(choices).get(value, value), strings_only=True)
