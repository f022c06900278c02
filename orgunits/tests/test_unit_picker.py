"""The searchable unit picker that replaces long selects: a text box with suggestions, scoped, in Vietnamese order."""

from django import forms

from orgunits.forms import UnitPickerField
from orgunits.models import Unit
from orgunits.tests.factories import make_unit


class PickForm(forms.Form):
    unit = UnitPickerField(label="Chi bộ")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def cells_of_commune_a(tree):
    return Unit.objects.filter(path__startswith=tree.commune_a.path).exclude(pk=tree.commune_a.pk)


def test_the_picker_takes_a_code_as_typed_or_the_id_a_select_posted(tree):
    units = cells_of_commune_a(tree)

    by_code = PickForm({"unit": tree.cell_a1.code.lower()}, units=units)
    by_id = PickForm({"unit": str(tree.cell_a1.pk)}, units=units)

    assert by_code.is_valid() and by_code.cleaned_data["unit"] == tree.cell_a1
    assert by_id.is_valid() and by_id.cleaned_data["unit"] == tree.cell_a1


def test_a_unit_outside_the_scope_is_neither_offered_nor_accepted(tree):
    units = cells_of_commune_a(tree)

    form = PickForm({"unit": tree.cell_b1.code}, units=units)

    assert not form.is_valid() and "unit" in form.errors
    assert tree.cell_b1.code not in str(PickForm(units=units)["unit"])
    assert not PickForm({"unit": str(tree.cell_b1.pk)}, units=units).is_valid()


def test_the_picker_is_a_text_box_with_suggestions_in_vietnamese_order(tree):
    for number in (10, 2, 1):
        make_unit(parent=tree.commune_a, name=f"Chi bộ tổ dân phố {number}", code=f"XA-T{number}")
    make_unit(parent=tree.commune_a, name="Chi bộ Đồng Tâm", code="XA-DT")
    make_unit(parent=tree.commune_a, name="Chi bộ Yên Hòa", code="XA-YH")

    html = str(PickForm(units=cells_of_commune_a(tree))["unit"])

    assert "<select" not in html and "<datalist" in html and 'list="id_unit-suggestions"' in html
    order = [html.index(f">{name}<") for name in ("Chi bộ Đồng Tâm", "Chi bộ tổ dân phố 1", "Chi bộ tổ dân phố 2")]
    order += [html.index(f">{name}<") for name in ("Chi bộ tổ dân phố 10", "Chi bộ Yên Hòa")]
    assert order == sorted(order)
