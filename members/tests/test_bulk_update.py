"""`members_bulk_update`: the batched `member_update` of a re-import writes the same records, history and figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from audit.choices import ChangeSource
from audit.context import change_context
from audit.models import ChangeLog
from members.choices import MemberStatus
from members.models import Member
from members.services import member_update, members_bulk_update, members_locked_records
from members.tests.factories import make_member
from rollout.models import UnitDailyDelta, UnitFigures

_VOLATILE = {"updated_at"}


def _changes(tree, members):
    first, second, third = members
    return [
        (first.pk, {"phone": "0987111222", "full_name": "Nguyễn Văn  Mới"}),
        (second.pk, {"status": MemberStatus.EXEMPT}),
        (third.pk, {"unit": tree.cell_a2, "official_on": datetime.date(2010, 1, 1)}),
        (tree.member_a1.pk, {"full_name": tree.member_a1.full_name}),  # nothing changes: no write, no log row
    ]


def _written(log_before: int, members):
    entries = [
        (
            entry.object_id,
            entry.action,
            entry.unit_id,
            entry.reason,
            entry.actor_id,
            entry.actor_name,
            entry.source,
            {key: value for key, value in entry.prechange_data.items() if key not in _VOLATILE},
            {key: value for key, value in entry.postchange_data.items() if key not in _VOLATILE},
        )
        for entry in ChangeLog.objects.filter(pk__gt=log_before).order_by("object_id")
    ]
    records = [
        {
            key: value
            for key, value in Member.objects.filter(pk=member.pk).values().get().items()
            if key not in _VOLATILE
        }
        for member in members
    ]
    figures = sorted(UnitFigures.objects.values_list("unit_id", "members", "eligible", "activated", "verified"))
    deltas = sorted(UnitDailyDelta.objects.values_list("unit_id", "members", "eligible"))
    return entries, records, figures, deltas


@pytest.mark.django_db(transaction=False)
def test_the_batch_writes_what_member_update_writes_row_by_row(tree):
    # Given three members of commune A and the changes a re-import would apply
    officer = tree.users["officer_a"]
    members = [make_member(unit=tree.cell_a1) for _ in range(3)]
    changes = _changes(tree, members)
    log_before = ChangeLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    everyone = [*members, tree.member_a1]

    # When they are applied one by one with member_update (then rolled back) and then as one batch
    with change_context(source=ChangeSource.IMPORT), transaction.atomic():
        for pk, data in changes:
            member_update(actor=officer, member=Member.objects.get(pk=pk), data=data, reason="Nhập lại")
        one_by_one = _written(log_before, everyone)
        transaction.set_rollback(True)
    with change_context(source=ChangeSource.IMPORT):
        changed = members_bulk_update(actor=officer, changes=changes, reason="Nhập lại")
    batched = _written(log_before, everyone)

    # Then the records, the change-log rows (content, action, unit, actor, source, reason) and the figures match
    assert len(one_by_one[0]) == 3
    assert batched == one_by_one
    assert {member.pk for member in changed} == {member.pk for member in members}
    assert [entry[1] for entry in batched[0]] == ["update", "status", "update"]


def test_the_batch_refuses_a_member_outside_the_officers_scope(tree):
    # Given a batch with a member of commune B, applied by commune A's officer
    changes = [(tree.member_a1.pk, {"phone": "0987111222"}), (tree.member_b1.pk, {"phone": "0987111333"})]

    # Then the whole batch is refused
    with pytest.raises(PermissionDenied):
        members_bulk_update(actor=tree.users["officer_a"], changes=changes)


def test_the_batch_refuses_a_phone_another_member_has(tree):
    # Given a change giving member_a1 the phone of member_a2, then two batch members the same new phone
    officer = tree.users["officer_a"]
    other = make_member(unit=tree.cell_a1)

    # Then both are refused with the message member_update gives
    with pytest.raises(ValidationError) as refused:
        members_bulk_update(actor=officer, changes=[(tree.member_a1.pk, {"phone": tree.member_a2.phone})])
    assert "phone" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        members_bulk_update(
            actor=officer, changes=[(tree.member_a1.pk, {"phone": "0987000999"}), (other.pk, {"phone": "0987000999"})]
        )
    assert "phone" in refused.value.message_dict


def test_the_batch_refuses_an_identifier_another_member_has(tree):
    # Given a change giving member_a1 the citizen ID of another member, then the card number of another batch member
    officer = tree.users["officer_a"]
    other = make_member(unit=tree.cell_a1, sex=tree.member_a1.sex, date_of_birth=tree.member_a1.date_of_birth)

    # Then each is refused with the field's own message
    with pytest.raises(ValidationError) as refused:
        members_bulk_update(actor=officer, changes=[(tree.member_a1.pk, {"citizen_id": other.citizen_id})])
    assert refused.value.message_dict == {"citizen_id": ["Another member already has this citizen ID."]}
    with pytest.raises(ValidationError) as refused:
        members_bulk_update(
            actor=officer,
            changes=[(tree.member_a1.pk, {"card_number": "19000001"}), (other.pk, {"card_number": "19000001"})],
        )
    assert set(refused.value.message_dict) == {"card_number"}


def test_the_batch_checks_each_record_like_member_update(tree):
    # Given a change putting an official date before the joining date
    version, logged = tree.member_a1.version, ChangeLog.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        members_bulk_update(
            actor=tree.users["officer_a"],
            changes=[(tree.member_a1.pk, {"official_on": tree.member_a1.joined_on - datetime.timedelta(days=1)})],
        )
    # Then nothing was written
    tree.member_a1.refresh_from_db()
    assert (tree.member_a1.version, ChangeLog.objects.count()) == (version, logged)


def test_a_locked_record_holds_what_the_model_reads(tree):
    # Given a member
    member = tree.member_a1

    # When the member is read as a locked record
    with transaction.atomic():
        record = members_locked_records([member.pk, member.pk])[member.pk]

    # Then the record holds the stored values (less the timestamps, not read), its cell and its area (if any)
    stored = Member.objects.filter(pk=member.pk).values().get()
    assert {name: record.values[name] for name in stored if name not in ("created_at", "updated_at")} == {
        name: value for name, value in stored.items() if name not in ("created_at", "updated_at")
    }
    assert (record.pk, str(record), record.unit) == (member.pk, member.full_name, member.unit)
    assert record.residence_area == member.residence_area
