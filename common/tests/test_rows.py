"""Kept rows: rendered once for the same values, rendered again for any other, in the language of the request."""

import pytest
from django.utils import translation

from common import rows
from members.models import Member
from orgunits.models import Unit

ROW = "members/_result_row.html"


@pytest.fixture
def renders(monkeypatch):
    """The row templates rendered, as (template name, context) in order."""
    rows._kept.clear()
    rendered = []
    render = rows.render_to_string

    def counting(template_name, context):
        rendered.append((template_name, context))
        return render(template_name, context)

    monkeypatch.setattr(rows, "render_to_string", counting)
    return rendered


def member(**values) -> Member:
    defaults = {"pk": 7, "full_name": "Nguyễn Văn An", "status": "active", "is_eligible": True}
    return Member(unit=Unit(name="Chi bộ thôn 1"), **(defaults | values))


def test_a_row_is_rendered_once_while_its_key_is_the_same(renders):
    first = rows.rendered_row(ROW, (7, "Nguyễn Văn An"), {"member": member()})
    again = rows.rendered_row(ROW, (7, "Nguyễn Văn An"), {"member": member(full_name="ignored, the key is the same")})

    assert again == first
    assert "Nguyễn Văn An" in first
    assert len(renders) == 1


def test_another_value_in_the_key_renders_the_row_again(renders):
    rows.rendered_row(ROW, (7, "Nguyễn Văn An"), {"member": member()})
    renamed = rows.rendered_row(ROW, (7, "Nguyễn Văn Anh"), {"member": member(full_name="Nguyễn Văn Anh")})

    assert "Nguyễn Văn Anh" in renamed
    assert len(renders) == 2


def test_the_same_row_is_kept_apart_in_each_language(renders):
    with translation.override("en"):
        english = rows.rendered_row(ROW, (7,), {"member": member()})
    with translation.override("vi"):
        vietnamese = rows.rendered_row(ROW, (7,), {"member": member()})

    assert 'data-label="Date of birth"' in english
    assert 'data-label="Ngày sinh"' in vietnamese
    assert len(renders) == 2


def test_a_full_store_is_emptied_before_it_keeps_another_row(renders, monkeypatch):
    monkeypatch.setattr(rows, "MAX_ROWS", 2)
    for pk in (1, 2, 3):
        rows.rendered_row(ROW, (pk,), {"member": member(pk=pk)})

    assert len(rows._kept) == 1
