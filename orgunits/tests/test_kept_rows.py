"""The unit pages' rows are kept rendered (common/rows.py): a change shows at once, and a unit one officer saw
never shows on another's page."""

from django.urls import reverse

from members.tests.factories import make_member
from orgunits.services import unit_update


def detail_url(unit) -> str:
    return reverse("orgunits:detail", args=[unit.code])


def test_a_renamed_child_shows_on_its_parents_page_at_once(officer_a, tree):
    officer_a.get(detail_url(tree.commune_a))

    unit_update(actor=tree.users["officer_a"], unit=tree.cell_a1, name="Chi bộ thôn Một", reason="Đổi tên")
    response = officer_a.get(detail_url(tree.commune_a))

    assert "Chi bộ thôn Một" in response.text
    assert "Chi bộ thôn 1<" not in response.text


def test_a_new_member_counts_on_the_parents_page_at_once(officer_a, tree):
    assert response_count(officer_a.get(detail_url(tree.commune_a)), tree.cell_a2) == 1

    make_member(unit=tree.cell_a2, full_name="Phạm Văn Dũng")

    assert response_count(officer_a.get(detail_url(tree.commune_a)), tree.cell_a2) == 2


def test_the_units_one_officer_saw_never_show_on_another_officers_list(client, tree):
    client.force_login(tree.users["officer_a"])
    assert "Đảng bộ xã A" in client.get(reverse("orgunits:list")).text

    client.force_login(tree.users["officer_b"])
    response = client.get(reverse("orgunits:list"))

    assert "Đảng bộ xã B" in response.text
    assert "Đảng bộ xã A" not in response.text


def response_count(response, unit) -> int:
    (count,) = [count for child, count in response.context["children"] if child.pk == unit.pk]
    html = response.text
    row = html[html.index(detail_url(unit)) :]
    shown = row[row.index('class="count"') :]
    assert f"{count} member" in shown[: shown.index("</span>")]
    return count
