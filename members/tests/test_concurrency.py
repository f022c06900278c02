"""Two officials saving the same record at once: one wins, the other is told, nothing is lost."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from audit.models import ChangeLog
from members.models import Member
from members.services import member_update

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks across connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_two_officials_editing_the_same_version_at_once_one_wins_and_the_other_is_refused(tree):
    member = tree.member_a1
    version = member.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(phone: str) -> None:
        try:
            barrier.wait()
            member_update(actor=None, member=member, data={"phone": phone}, expected_version=version)
            outcomes[phone] = "saved"
        except ValidationError:
            outcomes[phone] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(phone,)) for phone in ("0911000001", "0911000002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(phone for phone, outcome in outcomes.items() if outcome == "saved")
    stored = Member.objects.get(pk=member.pk)
    assert (stored.phone, stored.version) == (winner, version + 1)
    assert ChangeLog.objects.for_object(member).filter(postchange_data__phone=winner).count() == 1
