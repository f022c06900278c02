"""Many members activating at the same moment: not one activation is lost from the counters."""

import threading

import pytest
from django.db import connection, connections

from accounts.tests.factories import make_user
from members.tests.factories import make_member
from rollout.activation.services import account_activate
from rollout.recount import find_differences
from rollout.selectors import unit_figures

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks across connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_activations_in_sibling_cells_are_all_counted(tree):
    # Given eight members in two cells of commune A and one in commune B, each with an account waiting
    cells = [tree.cell_a1, tree.cell_a2, tree.cell_ag1, tree.cell_b1]
    users = [make_user(member=make_member(unit=cells[index % 4])) for index in range(12)]
    barrier = threading.Barrier(len(users))
    errors = []

    def activate(user) -> None:
        try:
            barrier.wait()
            account_activate(actor=None, user=user)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # When they all activate at once
    threads = [threading.Thread(target=activate, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every activation is counted, in each cell and every ancestor
    assert errors == []
    assert unit_figures(unit=tree.central).activated == 12
    assert unit_figures(unit=tree.commune_a).activated == 9
    assert unit_figures(unit=tree.commune_b).activated == 3
    assert find_differences() == []
