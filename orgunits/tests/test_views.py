from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.dates import today
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.tests.factories import make_unit


def detail_url(unit) -> str:
    return reverse("orgunits:detail", args=[unit.code])


def action_url(action: str, unit) -> str:
    return reverse(f"orgunits:{action}", args=[unit.code])


def reload(unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def log_rows(unit, action: str):
    return ChangeLog.objects.for_object(unit).filter(action=action)


def test_the_unit_list_shows_the_users_own_units_with_their_member_counts(officer_a, tree):
    response = officer_a.get(reverse("orgunits:list"))

    assert response.status_code == 200
    assert [unit for unit, _count in response.context["rows"]] == [tree.commune_a]
    assert "2 members" in response.text


def test_the_unit_detail_shows_breadcrumbs_children_and_their_counts(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(detail_url(tree.commune_a))

    assert response.status_code == 200
    assert response.context["ancestors"] == [tree.province]
    counts = {unit.code: count for unit, count in response.context["children"]}
    assert counts == {"XA-C1": 1, "XA-C2": 1, "XA-G": 0}


def test_a_unit_outside_the_users_scope_is_not_found(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(detail_url(tree.commune_a))

    assert response.status_code == 404


def test_closed_units_are_listed_only_when_asked_for(officer_a, tree):
    closed = make_unit(parent=tree.commune_a, code="XA-OLD")
    Unit.objects.filter(pk=closed.pk).update(closed_on="2025-07-01")

    hidden = officer_a.get(detail_url(tree.commune_a))
    shown = officer_a.get(detail_url(tree.commune_a), {"closed": "1"})

    assert "XA-OLD" not in hidden.text
    assert "XA-OLD" in shown.text


def test_a_viewer_is_offered_no_management_actions(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(detail_url(tree.commune_a))

    assert action_url("move", tree.commune_a) not in response.text
    assert action_url("edit", tree.commune_a) not in response.text


def test_a_commune_officer_is_offered_the_management_actions_on_a_cell(officer_a, tree):
    response = officer_a.get(detail_url(tree.cell_a2))

    for action in ("edit", "move", "merge", "close"):
        assert action_url(action, tree.cell_a2) in response.text


def test_a_viewer_cannot_open_a_management_page(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(action_url("edit", tree.commune_a))

    assert response.status_code == 403


def test_a_management_page_for_a_unit_outside_scope_is_not_found(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(action_url("edit", tree.cell_a1))

    assert response.status_code == 404


def test_every_management_page_renders_for_a_manager(officer_a, tree):
    for action in ("create", "edit"):
        assert officer_a.get(action_url(action, tree.commune_a)).status_code == 200
    for action in ("move", "close", "merge"):
        assert officer_a.get(action_url(action, tree.cell_a2)).status_code == 200


def test_the_create_form_offers_only_kinds_allowed_under_the_parent(officer_a, tree):
    response = officer_a.get(action_url("create", tree.grassroots_a))

    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert kinds == [UnitKind.ATTACHED_CELL]


def test_a_manager_creates_a_unit_under_their_committee(officer_a, tree):
    response = officer_a.post(
        action_url("create", tree.commune_a),
        {"code": "XA-C3", "name": "Chi bộ thôn 3", "kind": UnitKind.ATTACHED_CELL, "reason": "Quyết định 12"},
    )

    unit = Unit.objects.get(code="XA-C3")
    assert response.status_code == 302
    assert response.url == detail_url(unit)
    assert Unit.objects.get_parent(reload(unit)) == tree.commune_a
    assert log_rows(unit, ChangeAction.CREATE).get().reason == "Quyết định 12"


def test_a_duplicate_code_is_shown_on_the_create_form(officer_a, tree):
    response = officer_a.post(
        action_url("create", tree.commune_a), {"code": "XA-C1", "name": "Chi bộ mới", "kind": UnitKind.ATTACHED_CELL}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert Unit.objects.filter(name="Chi bộ mới").count() == 0


def test_a_manager_renames_a_unit(officer_a, tree):
    response = officer_a.post(
        action_url("edit", tree.cell_a2), {"name": "Chi bộ thôn Hai", "area": "", "reason": "Đổi tên thôn"}
    )

    assert response.status_code == 302
    assert reload(tree.cell_a2).name == "Chi bộ thôn Hai"
    assert log_rows(tree.cell_a2, ChangeAction.UPDATE).get().reason == "Đổi tên thôn"


def test_a_manager_moves_a_cell_under_another_committee(officer_a, tree):
    response = officer_a.post(action_url("move", tree.cell_a2), {"new_parent": "XA-G", "reason": "Sáp nhập"})

    assert response.status_code == 302
    assert Unit.objects.get_parent(reload(tree.cell_a2)) == tree.grassroots_a
    assert log_rows(tree.cell_a2, ChangeAction.MOVE).count() == 1


def test_an_invalid_move_shows_the_reason_and_changes_nothing(officer_a, tree):
    response = officer_a.post(action_url("move", tree.cell_a2), {"new_parent": "XA-C1", "reason": "Thử"})

    assert response.status_code == 200
    assert "A cell cannot have units under it." in response.text
    assert Unit.objects.get_parent(reload(tree.cell_a2)) == tree.commune_a
    assert not log_rows(tree.cell_a2, ChangeAction.MOVE).exists()


def test_a_move_under_a_unit_the_user_does_not_manage_is_refused(officer_a, tree):
    response = officer_a.post(action_url("move", tree.cell_a2), {"new_parent": "XB", "reason": "Thử"})

    assert response.status_code == 200
    assert "There is no open unit with this code that you manage." in response.text
    assert Unit.objects.get_parent(reload(tree.cell_a2)) == tree.commune_a


def test_a_manager_closes_an_empty_unit(officer_a, tree):
    response = officer_a.post(
        action_url("close", tree.cell_ag1), {"closed_on": today().isoformat(), "reason": "Giải thể"}
    )

    assert response.status_code == 302
    assert reload(tree.cell_ag1).closed_on == today()
    assert log_rows(tree.cell_ag1, ChangeAction.CLOSE).count() == 1


def test_closing_a_unit_with_members_shows_why_and_changes_nothing(officer_a, tree):
    response = officer_a.post(action_url("close", tree.cell_a1), {"closed_on": "", "reason": "Giải thể"})

    assert response.status_code == 200
    assert "Members still belong to this unit" in response.text
    assert reload(tree.cell_a1).is_open


def test_a_manager_merges_a_cell_into_another_and_its_members_follow(officer_a, tree):
    response = officer_a.post(action_url("merge", tree.cell_a2), {"target": "XA-C1", "reason": "Sáp nhập thôn"})

    assert response.status_code == 302
    assert response.url == detail_url(tree.cell_a1)
    assert reload(tree.cell_a2).merged_into == tree.cell_a1
    tree.member_a2.refresh_from_db()
    assert tree.member_a2.unit == tree.cell_a1
    assert log_rows(tree.cell_a2, ChangeAction.MERGE).count() == 1


def test_the_unit_detail_runs_as_many_queries_for_30_children_as_for_3(officer_a, tree):
    officer_a.get(detail_url(tree.commune_a))
    with CaptureQueriesContext(connection) as three_children:
        officer_a.get(detail_url(tree.commune_a))
    for number in range(27):
        make_unit(parent=tree.commune_a, code=f"XA-N{number}")

    with CaptureQueriesContext(connection) as thirty_children:
        response = officer_a.get(detail_url(tree.commune_a))

    assert len(response.context["children"]) == 30
    assert len(thirty_children) == len(three_children)
