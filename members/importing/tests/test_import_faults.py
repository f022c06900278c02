"""The database connection lost in the middle of a roster import (its commit, or its preview): nothing
half-written, the job says it stopped, and the retry finishes it with the same result as a run that never failed.

The same commune is built for the reference run without a fault (once per test process, then the database is
emptied) and again for each run with the connection dropped at a chosen moment and retried. The end states are
compared without surrogate keys or timestamps (`registry_state`).
"""

import csv
import datetime
import io
import random
import threading
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, connections

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from audit.services import snapshot
from common.tests.faults import DROPS, ConnectionDrop, fresh_connection_per_task
from members.choices import ImportRowKind, ImportState, MemberReviewFlagKind, Sex
from members.importing import checks, services
from members.models import ImportJob, Member, MemberReviewFlag
from members.services import members_bulk_create
from members.tasks import import_commit_task, import_preview_task
from members.tests.factories import citizen_id_for
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.tests.factories import make_unit
from rollout.activation.services import account_activate
from rollout.choices import COUNTER_FIELDS
from rollout.models import UnitDailyDelta, UnitFigures
from rollout.recount import find_differences

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = 25
ON_RECORD = 120  # members in the registry before the file
NEWCOMERS = 200  # rows for members not yet on record
CELL_CODES = ["FX-C1", "FX-C2", "FX-C3", "FX-C4"]
HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Mã chi bộ",
    "Số điện thoại",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = {Sex.MALE: ["Văn An", "Văn Bình", "Đức Cường", "Quang Dũng"], Sex.FEMALE: ["Thị Hoa", "Thị Lan", "Ngọc Mai"]}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    # The task commits with the module's batch size: 300 rows to apply are 12 batches.
    monkeypatch.setattr(services, "COMMIT_BATCH", BATCH)


# -- the commune and its roster: the same every time they are built --------------------------------------------------


def person(serial: int, cell: Unit) -> dict:
    sex = Sex.MALE if serial % 2 else Sex.FEMALE
    born = datetime.date(1950 + serial % 40, 1 + serial % 12, 1 + serial % 28)
    joined = datetime.date(born.year + 25, 5, 19)
    given = GIVEN[sex]
    return {
        "unit": cell,
        "full_name": f"{SURNAMES[serial % len(SURNAMES)]} {given[serial % len(given)]}",
        "sex": sex,
        "date_of_birth": born,
        "joined_on": joined,
        "official_on": datetime.date(joined.year + 1, 5, 19),
        "citizen_id": citizen_id_for(sex=sex, date_of_birth=born, serial=serial, province="036"),
        "card_number": f"{30_000_000 + serial}",
        "phone": f"09{serial:08d}",
    }


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def roster_row(data: dict, *, cell_code: str, **changes) -> list:
    values = {**data, **changes}
    born = values["date_of_birth"]
    return [
        0,
        values["full_name"],
        "Nam" if values["sex"] == Sex.MALE else "Nữ",
        born if isinstance(born, str) else _date(born),
        _date(values["joined_on"]),
        _date(values["official_on"]),
        values["card_number"],
        values["citizen_id"],
        cell_code,
        values["phone"],
    ]


def build_commune():
    """A commune of four cells with 120 members (a few with activated accounts) and its officer."""
    central = make_unit(kind=UnitKind.CENTRAL, name="Trung ương", code="TW")
    province = make_unit(parent=central, kind=UnitKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Thử", code="FP")
    commune = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã Phục Hồi", code="FX")
    cells = [make_unit(parent=commune, name=f"Chi bộ thôn {code[-1]}", code=code) for code in CELL_CODES]
    officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=commune, username="officer_fx")
    members = members_bulk_create(
        actor=officer,
        rows=[person(serial, cells[serial % len(cells)]) for serial in range(ON_RECORD)],
        reason="Sổ đảng viên giấy",
    )
    for member in members[:60:5]:
        account_activate(actor=officer, user=make_user(username=f"dv_{member.card_number}", member=member))
    return commune, officer


def roster() -> bytes:
    """325 rows in a shuffled order: 100 changes (phone, name, cell), 10 unchanged, 200 newcomers (a fifth with
    only the year of birth), 5 errors; 10 members on record are missing from it."""
    rows = []
    for serial in range(ON_RECORD):
        data = person(serial, None)
        cell_code = CELL_CODES[serial % len(CELL_CODES)]
        next_cell = CELL_CODES[(serial + 1) % len(CELL_CODES)]
        kind = serial % 12
        if kind == 0:
            continue
        if kind == 1:
            rows.append(roster_row(data, cell_code=cell_code))
        elif kind <= 6:
            rows.append(roster_row(data, cell_code=cell_code, phone=f"03{serial:08d}"))
        elif kind <= 8:
            rows.append(roster_row(data, cell_code=next_cell))
        elif kind == 9:
            rows.append(roster_row(data, cell_code=cell_code, full_name=data["full_name"] + " Tâm"))
        else:
            rows.append(roster_row(data, cell_code=next_cell, phone=f"03{serial:08d}"))
    for serial in range(ON_RECORD, ON_RECORD + NEWCOMERS):
        data = person(serial, None)
        year_only = str(data["date_of_birth"].year) if serial % 5 == 0 else data["date_of_birth"]
        rows.append(roster_row(data, cell_code=CELL_CODES[serial % len(CELL_CODES)], date_of_birth=year_only))
    for serial in range(ON_RECORD + NEWCOMERS, ON_RECORD + NEWCOMERS + 5):
        data = person(serial, None)
        if serial % 2:
            rows.append(roster_row(data, cell_code="FX-C9"))
        else:
            rows.append(roster_row(data, cell_code=CELL_CODES[0], date_of_birth="31/02/1990"))
    random.Random(2026).shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row[0] = number
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return output.getvalue().encode("utf-8")


def uploaded_job(commune, officer) -> ImportJob:
    return services.import_job_create(
        actor=officer, unit=commune, uploaded_file=SimpleUploadedFile("danh-sach.csv", roster())
    )


def previewed_job(commune, officer) -> ImportJob:
    job = services.import_job_preview(actor=officer, job=uploaded_job(commune, officer))
    assert (job.new_count, job.changed_count, job.unchanged_count, job.error_count, job.missing_count) == (
        200,
        100,
        10,
        5,
        10,
    )
    return job


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


# The reference runs are the same in every test: each is made once per test process, by the first test needing it.
_REFERENCE: dict[bool, dict] = {}


def reference_state(*, commit: bool = True) -> dict:
    """The end state of the same preview and commit (or preview only) without any fault, on a fresh copy of the
    same data (the test's empty database, emptied again afterwards)."""
    if commit not in _REFERENCE:
        commune, officer = build_commune()
        job = previewed_job(commune, officer)
        if commit:
            assert import_commit_task.delay(job.pk, officer.pk).get() == ImportState.COMMITTED
        assert find_differences() == []
        _REFERENCE[commit] = registry_state(job)
        empty_the_database()
    return _REFERENCE[commit]


# -- comparing end states without surrogate keys or timestamps --------------------------------------------------------

VOLATILE = {"id", "created_at", "updated_at"}


def portable(values: dict | None, codes: dict) -> dict | None:
    if values is None:
        return None
    values = {key: value for key, value in values.items() if key not in VOLATILE}
    if "unit_id" in values:
        values["unit_id"] = codes[values["unit_id"]]
    return values


def registry_state(job: ImportJob) -> dict:
    applied_through = ImportJob.objects.values_list("applied_through", flat=True).get(pk=job.pk)
    codes = dict(Unit.objects.values_list("pk", "code"))
    cards = dict(Member.objects.values_list("pk", "card_number"))
    member_type = ContentType.objects.get_for_model(Member)
    history = defaultdict(list)
    for entry in ChangeLog.objects.filter(object_type=member_type).select_related("actor").order_by("time", "id"):
        history[cards[entry.object_id]].append(
            (
                entry.action,
                entry.source,
                entry.actor.username,
                entry.reason.replace(f"#{job.pk}:", "#JOB:"),
                codes.get(entry.unit_id),
                portable(entry.prechange_data, codes),
                portable(entry.postchange_data, codes),
            )
        )
    job = ImportJob.objects.get(pk=job.pk)
    return {
        "members": {cards[row["id"]]: portable(row, codes) for row in Member.objects.values()},
        "history": dict(history),
        "other changes": Counter(
            ChangeLog.objects.exclude(object_type=member_type).values_list("object_type__model", "action", "source")
        ),
        "flags": sorted(
            (cards[flag.member_id], flag.kind, flag.field, flag.detail, flag.resolved_at is None, flag.job_id == job.pk)
            for flag in MemberReviewFlag.objects.all()
        ),
        "figures": {codes[row.pop("unit_id")]: row for row in UnitFigures.objects.values("unit_id", *COUNTER_FIELDS)},
        "daily": {
            (codes[row.pop("unit_id")], row.pop("day")): row
            for row in UnitDailyDelta.objects.values("unit_id", "day", *COUNTER_FIELDS)
        },
        "job": (
            job.state,
            job.error,
            job.applied_rows,
            job.new_count,
            job.changed_count,
            job.unchanged_count,
            job.error_count,
            job.missing_count,
            job.committed_at is not None,
        ),
        "rows": sorted(
            (row.row_number, row.kind, row.pk <= applied_through, cards.get(row.member_id), row.data.get("card_number"))
            for row in job.rows.all()
        ),
    }


# -- what a stopped commit may leave behind ---------------------------------------------------------------------------------


def assert_whole_batches_only(job: ImportJob, *, applied_batches: int) -> None:
    """The first `applied_batches` batches are applied whole, the rest not at all; every member agrees with the
    after-image of its last change-log entry; the counters agree with a recount."""
    job.refresh_from_db()
    to_apply = list(job.rows.filter(kind__in=[ImportRowKind.NEW, ImportRowKind.CHANGED]).order_by("row_number", "id"))
    applied = min(applied_batches * BATCH, len(to_apply))
    is_applied = {row.pk: row.pk <= job.applied_through for row in to_apply}
    assert [is_applied[row.pk] for row in to_apply] == [True] * applied + [False] * (len(to_apply) - applied)
    assert job.applied_rows == applied

    entries = Counter(ChangeLog.objects.filter(reason=services.import_reason(job)).values_list("object_id", flat=True))
    members = {member.card_number: member for member in Member.objects.select_related("unit")}
    for row in to_apply:
        member = members.get(row.data["card_number"])
        if row.kind == ImportRowKind.NEW and not is_applied[row.pk]:
            assert member is None, f"row {row.row_number}: a member was created by a batch that failed"
            continue
        assert entries[member.pk] == int(is_applied[row.pk]), f"row {row.row_number}: {entries[member.pk]} entries"
        if is_applied[row.pk]:
            expected = {field: value for field, value in row.data.items() if field != "unit"}
            assert member.unit_id == row.data["unit"]
        else:
            expected = {field: old for field, old, _new in row.changes if field != "unit"}
            assert all(member.unit.name == old for field, old, _new in row.changes if field == "unit")
        assert {field: checks.json_value(getattr(member, field)) for field in expected} == expected

    partial_flags = MemberReviewFlag.objects.filter(kind=MemberReviewFlagKind.PARTIAL_DATE)
    assert set(partial_flags.values_list("member__card_number", flat=True)) == {
        row.data["card_number"] for row in to_apply if is_applied[row.pk] and row.partial_dates
    }
    for member in members.values():
        last = ChangeLog.objects.for_object(member).order_by("-time", "-id").first()
        assert last.postchange_data == snapshot(member), member.card_number
    assert find_differences() == []


def worker_retry(task, job: ImportJob, officer) -> str:
    """Celery runs the retry in a worker, with a fresh database connection."""
    connection.close()
    return task.delay(job.pk, officer.pk).get()


# -- the tests ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", DROPS)
@pytest.mark.parametrize("failing_batch", [1, 6], ids=["first batch", "mid-way"])
def test_a_commit_that_loses_its_connection_leaves_whole_batches_and_the_retry_ends_as_if_nothing_happened(
    how, failing_batch, monkeypatch
):
    # Given the state a fault-free commit ends in, and a fresh copy of the same commune and previewed file
    expected = reference_state()
    commune, officer = build_commune()
    job = previewed_job(commune, officer)
    # ... whose connection drops half-way through writing the rows of one batch
    drop = ConnectionDrop(how, at=(failing_batch - 1) * BATCH + BATCH // 2)
    monkeypatch.setattr(services, "_flag_partial_dates", drop.wrap(services._flag_partial_dates))

    # When the commit runs
    with pytest.raises(DatabaseError):
        services.import_job_commit(actor=officer, job=job)

    # Then the job says it stopped and may be resumed, and only whole batches were written
    assert drop.drops == 1
    connection.close()
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "connection to the database was lost" in job.error
    assert job.committed_at is None
    assert_whole_batches_only(job, applied_batches=failing_batch - 1)
    services.import_job_require_committable(actor=officer, job=job)

    # When the task is retried, the end state is the fault-free one
    assert worker_retry(import_commit_task, job, officer) == ImportState.COMMITTED
    assert drop.drops == 1
    assert registry_state(job) == expected
    assert find_differences() == []


@pytest.mark.parametrize("how", DROPS)
def test_the_commit_task_retries_by_itself_after_the_connection_drops(how, monkeypatch):
    expected = reference_state()
    commune, officer = build_commune()
    job = previewed_job(commune, officer)
    drop = ConnectionDrop(how, at=4 * BATCH + 3)
    monkeypatch.setattr(services, "_flag_partial_dates", drop.wrap(services._flag_partial_dates))

    # When the commit task loses its connection in the fifth batch, in a worker (`throw=False`: Celery's eager
    # mode then runs the retry the task asks for, as a worker would, instead of raising it to the caller)
    with fresh_connection_per_task():
        state = import_commit_task.apply(args=(job.pk, officer.pk), throw=False).get()

    # Then the task retried itself, and it ended as without the fault
    assert (state, drop.drops) == (ImportState.COMMITTED, 1)
    assert registry_state(job) == expected


@pytest.mark.parametrize("how", DROPS)
def test_a_connection_lost_while_flagging_the_missing_members_leaves_the_job_to_resume(how, monkeypatch):
    expected = reference_state()
    commune, officer = build_commune()
    job = previewed_job(commune, officer)
    drop = ConnectionDrop(how, at=1)
    monkeypatch.setattr(services, "_flag_missing", drop.wrap(services._flag_missing))

    with pytest.raises(DatabaseError):
        services.import_job_commit(actor=officer, job=job)

    # Every row is applied, but the job is not done: the missing members are not flagged yet
    connection.close()
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert_whole_batches_only(job, applied_batches=12)
    assert not MemberReviewFlag.objects.filter(kind=MemberReviewFlagKind.MISSING_FROM_IMPORT).exists()

    assert worker_retry(import_commit_task, job, officer) == ImportState.COMMITTED
    assert registry_state(job) == expected


@pytest.mark.parametrize("how", DROPS)
def test_a_preview_that_loses_its_connection_cannot_be_applied_and_its_retry_checks_the_file_again(how, monkeypatch):
    # Given the preview a fault-free run records, and a fresh copy of the same commune and uploaded file
    expected = reference_state(commit=False)
    commune, officer = build_commune()
    job = uploaded_job(commune, officer)
    monkeypatch.setattr(services, "PREVIEW_BATCH", 50)
    drop = ConnectionDrop(how, at=3)
    monkeypatch.setattr(services, "_look_up", drop.wrap(services._look_up))

    # When the preview loses its connection in its third batch
    with pytest.raises(DatabaseError):
        services.import_job_preview(actor=officer, job=job)

    # Then the half-checked file cannot be applied
    connection.close()
    job.refresh_from_db()
    assert job.state == ImportState.PREVIEWING
    with pytest.raises(ValidationError):
        services.import_job_require_committable(actor=officer, job=job)

    # When the task retries it, the file is checked again from the start: the same preview as without the fault
    assert worker_retry(import_preview_task, job, officer) == ImportState.PREVIEWED
    assert registry_state(job) == expected


@pytest.mark.parametrize("how", DROPS)
def test_the_preview_task_retries_by_itself_after_the_connection_drops(how, monkeypatch):
    expected = reference_state(commit=False)
    commune, officer = build_commune()
    job = uploaded_job(commune, officer)
    monkeypatch.setattr(services, "PREVIEW_BATCH", 50)
    drop = ConnectionDrop(how, at=3)
    monkeypatch.setattr(services, "_look_up", drop.wrap(services._look_up))

    with fresh_connection_per_task():
        state = import_preview_task.apply(args=(job.pk, officer.pk), throw=False).get()

    assert (state, drop.drops) == (ImportState.PREVIEWED, 1)
    assert registry_state(job) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks across connections (PostgreSQL)")
def test_a_retry_that_overlaps_another_run_of_the_same_commit_applies_every_row_once():
    # Given a previewed file, committed by two workers at once (the task's retry, and the official's "Resume")
    expected = reference_state()
    commune, officer = build_commune()
    job = previewed_job(commune, officer)
    barrier = threading.Barrier(2)
    outcomes = []

    # When both run
    def commit() -> None:
        try:
            barrier.wait()
            outcomes.append(import_commit_task.apply(args=(job.pk, officer.pk)).result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then they took the batches in turn: both end "committed", and the end state is that of one commit
    assert outcomes == [ImportState.COMMITTED, ImportState.COMMITTED]
    assert registry_state(job) == expected
