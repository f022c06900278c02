import datetime
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from audit.choices import ChangeAction, ChangeSource
from audit.models import ChangeLog
from audit.services import snapshot
from common.bulk import bulk_insert, insert_rows
from members.choices import ImportRowKind
from members.models import ImportJob, ImportRow, Member
from members.services import _build
from members.tests.factories import member_data


def _stored(member: Member) -> dict:
    return {field.attname: getattr(member, field.attname) for field in Member._meta.concrete_fields}


def test_bulk_inserted_members_come_back_with_their_ids_and_every_value_as_given(tree):
    given = [_build(member_data(unit=tree.cell_a1, hometown="Thái Bình", notes="Dòng 1\nDòng 2\t\\")) for _ in range(3)]
    given[1].official_on = None
    given[2].phone = ""

    inserted = bulk_insert(Member, given)

    assert all(member.pk for member in inserted)
    assert len({member.pk for member in inserted}) == 3
    for member in inserted:
        assert _stored(Member.objects.get(pk=member.pk)) == _stored(member)
    # The table's own sequence moved past the ids taken: the next ordinary insert does not collide.
    later = Member.objects.create(**{key: value for key, value in member_data(unit=tree.cell_a1).items()})
    assert later.pk > max(member.pk for member in inserted)


def test_bulk_inserted_json_and_timestamps_read_back_equal(tree):
    when = timezone.now().replace(microsecond=123456)
    entry = ChangeLog(
        time=when,
        actor=tree.users["officer_a"],
        actor_name="Cán bộ",
        source=ChangeSource.IMPORT,
        request_id=uuid.uuid4(),
        ip_address="10.0.0.1",
        action=ChangeAction.CREATE,
        object_type_id=1,
        object_id=7,
        object_repr="Ngô Thị \"Hà\" 'Nội'",
        unit=tree.cell_a1,
        prechange_data=None,
        postchange_data={"full_name": "Ngô Thị Hà", "nested": [1, None, {"a": "\\N"}], "date": "2024-05-19"},
        reason="",
    )

    (inserted,) = bulk_insert(ChangeLog, [entry])

    stored = ChangeLog.objects.get(pk=inserted.pk)
    assert stored.time == when
    assert stored.prechange_data is None
    assert stored.postchange_data == entry.postchange_data
    assert (stored.request_id, stored.ip_address, stored.object_repr) == (
        entry.request_id,
        "10.0.0.1",
        entry.object_repr,
    )


def test_insert_rows_writes_plain_tuples(tree):
    job = ImportJob.objects.create(unit=tree.commune_a, created_by=tree.users["officer_a"], original_name="a.csv")
    columns = ["job_id", "row_number", "kind", "member_id", "matched_by", "full_name"]
    columns += ["data", "changes", "errors", "partial_dates", "recorded_problems", "kind_if_kept"]

    insert_rows(
        ImportRow,
        columns,
        [
            (
                job.pk,
                0,
                ImportRowKind.MISSING,
                tree.member_a1.pk,
                "",
                "Nguyễn Văn An",
                "{}",
                "[]",
                "[]",
                "[]",
                "[]",
                "",
            )
        ],
    )

    row = ImportRow.objects.get(job=job)
    assert (row.kind, row.member_id, row.full_name, row.data, row.changes) == (
        ImportRowKind.MISSING,
        tree.member_a1.pk,
        "Nguyễn Văn An",
        {},
        [],
    )


def test_snapshot_gives_what_a_json_round_trip_gives(tree):
    member = tree.member_a1
    member.transferred_in_on = datetime.date(2020, 2, 29)
    member.updated_at = timezone.now().replace(microsecond=654321)

    taken = snapshot(member)

    excluded = set(Member.AUDIT_EXCLUDE)
    values = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields if f.name not in excluded}
    assert taken == json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    assert json.dumps(taken) == json.dumps(json.loads(json.dumps(values, cls=DjangoJSONEncoder)))
    assert taken["transferred_in_on"] == "2020-02-29"


def test_snapshot_of_timestamps_uuids_and_json_gives_what_a_json_round_trip_gives(tree):
    entry = ChangeLog(
        time=timezone.now().replace(microsecond=654321),
        source=ChangeSource.IMPORT,
        request_id=uuid.uuid4(),
        action=ChangeAction.CREATE,
        object_type_id=1,
        object_id=7,
        postchange_data={"headers": ["Họ và tên", None, 3], "when": "2024-05-19"},
    )

    values = {field.attname: getattr(entry, field.attname) for field in ChangeLog._meta.concrete_fields}
    assert snapshot(entry) == json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    assert snapshot(entry)["time"].endswith(".654Z")


def test_keys_by_value_finds_exactly_the_rows_holding_the_values(tree):
    from common.bulk import keys_by_value

    members = list(Member.objects.exclude(card_number=None)[:3])
    wanted = [member.card_number for member in members] + ["00000000"]

    found = keys_by_value(Member, "card_number", wanted)

    assert found == {member.card_number: member.pk for member in members}
    assert keys_by_value(Member, "card_number", []) == {}
