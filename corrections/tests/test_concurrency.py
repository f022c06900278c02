"""Two officials acting at once on PostgreSQL: nothing is applied twice and no update is lost."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from corrections.choices import RequestState
from corrections.models import CorrectionRequest
from corrections.services import correction_request_create, correction_request_decide
from members.models import Member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks across connections (PostgreSQL)"
)


def run_at_once(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action().state
        except ValidationError:
            outcomes[index] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_officials_approving_the_same_request_apply_it_once(tree):
    [request] = correction_request_create(
        actor=tree.users["officer_a"], member=tree.member_a1, changes={"unit": tree.cell_a2}, reason="Chuyển thôn"
    )
    officer, admin = tree.users["officer_a"], tree.users["admin_a"]
    version = tree.member_a1.version

    outcomes = run_at_once(
        lambda: correction_request_decide(actor=officer, request=request, decision="approve"),
        lambda: correction_request_decide(actor=admin, request=request, decision="approve"),
    )

    assert sorted(outcomes) == [RequestState.APPLIED, "refused"]
    member = Member.objects.get(pk=tree.member_a1.pk)
    assert (member.unit_id, member.version) == (tree.cell_a2.pk, version + 1)


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_same_field_approved_at_once_one_applies_and_the_other_shows_a_conflict(tree):
    officer, admin = tree.users["officer_a"], tree.users["admin_a"]
    [first] = correction_request_create(
        actor=officer, member=tree.member_a1, changes={"unit": tree.cell_a2}, reason="Chuyển thôn 2"
    )
    # A second request for the same field could only be opened after the first one: make both open by hand.
    CorrectionRequest.objects.filter(pk=first.pk).update(state=RequestState.SUBMITTED)
    second = CorrectionRequest.objects.get(pk=first.pk)
    second.pk = None
    second.new_value = tree.cell_ag1.pk
    second.target_unit = tree.cell_ag1
    second.save()

    outcomes = run_at_once(
        lambda: correction_request_decide(actor=officer, request=first, decision="approve"),
        lambda: correction_request_decide(actor=admin, request=second, decision="approve"),
    )

    assert sorted(outcomes) == sorted([RequestState.APPLIED, RequestState.CONFLICT])
    member = Member.objects.get(pk=tree.member_a1.pk)
    winner = first if outcomes[0] == RequestState.APPLIED else second
    assert member.unit_id == winner.new_value
