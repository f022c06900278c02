"""The one declaration of the member's fields (members/fields.py) covers the whole record."""

from members.exporting.workbooks import REGISTRY_FIELDS
from members.fields import DERIVED_FIELDS, EDITABLE_FIELDS, IMPORTABLE_FIELDS, PLACEMENT_FIELDS, RECORD_FIELDS
from members.importing import headers
from members.models import Member


def test_every_stored_field_is_declared_once_or_derived():
    stored = {field.name for field in Member._meta.concrete_fields}

    assert len(RECORD_FIELDS) == len(set(RECORD_FIELDS))
    assert set(RECORD_FIELDS) | DERIVED_FIELDS == stored
    assert not set(RECORD_FIELDS) & DERIVED_FIELDS


def test_a_roster_file_can_fill_and_the_registry_export_writes_every_field_but_the_placement():
    assert set(IMPORTABLE_FIELDS) == EDITABLE_FIELDS - set(PLACEMENT_FIELDS)
    assert [field.name for field in REGISTRY_FIELDS] == IMPORTABLE_FIELDS


def test_the_importer_reads_every_importable_field_by_its_label():
    labels = [headers.field_label(name) for name in IMPORTABLE_FIELDS]

    assert headers.recognise(labels) == {str(index): name for index, name in enumerate(IMPORTABLE_FIELDS)}
