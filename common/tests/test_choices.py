"""The models' own choice labels say exactly what Django's `get_<field>_display()` would."""

import pytest
from django.db import models
from django.utils import translation

from members.choices import MemberStatus
from members.models import Member
from orgunits.choices import UnitKind
from orgunits.models import Unit

CASES = [
    (Unit, "kind", "get_kind_display", [*UnitKind.values, "no-such-kind", ""]),
    (Member, "status", "get_status_display", [*MemberStatus.values, "no-such-status", ""]),
]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(("model", "field_name", "method", "values"), CASES)
def test_the_label_is_djangos_own_in_the_active_language_and_an_unknown_value_shows_itself(
    model, field_name, method, values, language
):
    field = model._meta.get_field(field_name)
    with translation.override(language):
        for value in values:
            record = model(**{field_name: value})
            shown = getattr(record, method)()
            assert shown == models.Model._get_FIELD_display(record, field)
            assert type(shown) is str


def test_the_label_follows_the_language_active_when_it_is_asked_for():
    unit = Unit(kind=UnitKind.values[0])
    with translation.override("en"):
        english = unit.get_kind_display()
    with translation.override("vi"):
        vietnamese = unit.get_kind_display()
    assert english != vietnamese
