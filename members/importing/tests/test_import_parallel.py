"""The preview checks a file's chunks of rows in worker processes (members/importing/parallel.py) and finds exactly
what it finds in its own process: the same rows, kinds, problems, warnings and counts, in the same order."""

import datetime
import os
import time

import billiard
import pytest
from django.db import connection
from django.utils import translation
from hypothesis import given

from members.choices import ImportRowKind
from members.importing import parallel, services
from members.importing.tests import test_import_properties
from members.importing.tests.test_import import roster_xlsx, row_for, start_import
from members.importing.tests.test_import_problems import BAD_CITIZEN_ID
from members.importing.tests.test_import_properties import _start, build, private_media, rosters  # noqa: F401
from members.models import ImportJob, ImportRow
from members.tests.factories import make_member, member_data
from members.tests.strategies import PROPERTY_SETTINGS, rolled_back
from orgunits.models import Unit

world = test_import_properties.world  # the small tree, a member in each commune's cells, a closed cell

_JOB_FINDINGS = [
    "state",
    "error",
    "processed_rows",
    "total_rows",
    "new_count",
    "changed_count",
    "unchanged_count",
    "error_count",
    "missing_count",
    "conflict_count",
    "duplicate_count",
    "recorded_count",
    "column_warnings",
]
_ROW_FINDINGS = [field.attname for field in ImportRow._meta.concrete_fields if field.name not in ("id", "job")]


def findings(job: ImportJob) -> tuple[dict, list]:
    """What a preview found: the job's counts and warnings, and every stored row in the order it was written."""
    job.refresh_from_db()
    return (
        {field: getattr(job, field) for field in _JOB_FINDINGS},
        list(job.rows.order_by("pk").values_list(*_ROW_FINDINGS)),
    )


class StartedPools:
    """Counts the worker pools the previews start (in this process: the workers are other processes)."""

    def __init__(self, monkeypatch):
        self.count = 0
        start = parallel.InOrder._start

        def counted(runner):
            self.count += 1
            return start(runner)

        monkeypatch.setattr(parallel.InOrder, "_start", counted)


def preview_serial_and_parallel(actor, job: ImportJob, settings, monkeypatch) -> tuple:
    """The findings of `job` previewed in this process (one chunk), then in two worker processes, two rows a chunk."""
    settings.IMPORT_PREVIEW_PROCESSES = 1
    services.import_job_preview(actor=actor, job=job)
    serial = findings(job)
    settings.IMPORT_PREVIEW_PROCESSES = 2
    with monkeypatch.context() as patched:
        patched.setattr(services, "PREVIEW_BATCH", 2)
        services.import_job_preview(actor=actor, job=job)
    return serial, findings(job)


def test_a_file_with_problems_of_every_kind_has_the_same_findings_checked_in_worker_processes(
    world, settings, monkeypatch
):
    # Given a roster with rows of every kind, spread over chunks of two rows: new, changed, unchanged, unreadable
    # values, no identifier, cells unknown, closed and outside the officer's scope, an unknown area, numbers with
    # other characters and one that lost its leading zero, an identity conflict, numbers twice in the file (the
    # earlier row unchanged on record), the same person twice and as a member already on record (in scope and out
    # of it), a problem to record, a year-only date; and members of the covered cells missing from it
    tree = world.tree
    a1, a2, b1 = tree.member_a1, tree.member_a2, tree.member_b1
    newcomer = member_data(unit=tree.cell_a2)
    twin = make_member(unit=tree.cell_b1, full_name="Phạm Văn Đôi", date_of_birth=datetime.date(1961, 3, 4))
    claimed = make_member(unit=tree.cell_a1, full_name="Hoàng Văn Ba")
    lost_zero = member_data(unit=tree.cell_a2)
    bad_citizen = member_data(unit=tree.cell_a2, sex="male", date_of_birth=datetime.date(1990, 5, 1))
    rows = [
        row_for(newcomer),
        row_for(a1, number=2, phone="0912000111"),  # changed
        row_for(a2, number=3),  # unchanged, and its card number again on row 14
        row_for(member_data(unit=tree.cell_a2), number=4, date_of_birth="31/02/1970"),
        row_for(member_data(unit=tree.cell_a2), number=5, card_number="", citizen_id=""),
        row_for(member_data(unit=tree.cell_a2), number=6, cell_code="NOPE"),
        row_for(member_data(unit=tree.cell_a2), number=7, cell_code="XA-C9"),  # closed
        row_for(member_data(unit=tree.cell_a2), number=8, cell_code=tree.cell_b1.code),  # outside the scope
        row_for(b1, number=9),  # a member outside the scope
        row_for(member_data(unit=tree.cell_a2), number=10, card_number="９０００１２３４"),
        row_for(claimed, number=11, full_name="Lê Thanh Lan", date_of_birth=datetime.date(1990, 1, 1)),  # conflict
        row_for({**lost_zero, "citizen_id": int(lost_zero["citizen_id"])}, number=12),
        row_for(bad_citizen, number=13, citizen_id=BAD_CITIZEN_ID),  # recorded: fails three checks
        row_for(member_data(unit=tree.cell_a2, card_number=a2.card_number), number=14),
        row_for(newcomer, number=15, card_number="91000015"),  # the citizen ID of row 1 again
        row_for({**newcomer, "card_number": "91000016", "citizen_id": ""}, number=16),  # row 1's person again
        row_for(member_data(unit=tree.cell_a2, full_name=twin.full_name, date_of_birth=twin.date_of_birth), number=17),
        row_for(member_data(unit=tree.cell_a2), number=18, date_of_birth="1965"),
        row_for(member_data(unit=tree.cell_a2, joined_on=datetime.date(1950, 1, 1)), number=19),
        row_for(member_data(unit=tree.cell_ag1), number=20),  # its cell's member is missing from the file
    ]
    officer = tree.users["officer_a"]
    pools = StartedPools(monkeypatch)
    with translation.override("en"):
        job = start_import(officer, tree.commune_a, roster_xlsx(rows), name="roster.xlsx")

        # When it is previewed in this process, then in worker processes
        serial, in_workers = preview_serial_and_parallel(officer, job, settings, monkeypatch)

    # Then the workers were used, and found exactly the same, in the same order
    assert pools.count == 1
    assert in_workers == serial
    # (and the file holds what it claims: every kind of row and problem)
    counts, stored = serial
    kinds = {row[_ROW_FINDINGS.index("kind")] for row in stored}
    assert kinds == {
        ImportRowKind.NEW,
        ImportRowKind.CHANGED,
        ImportRowKind.ERROR,
        ImportRowKind.CONFLICT,
        ImportRowKind.DUPLICATE,
        ImportRowKind.MISSING,
    }
    assert counts["unchanged_count"] == 0 and counts["recorded_count"] > 0
    messages = " ".join(str(row[_ROW_FINDINGS.index("errors")]) for row in stored)
    for expected in (
        "drops leading zeros",
        "same person as row 2",
        "outside your scope has the same name",
        "is also on row 16",
        "is closed",
        "There is no cell",
        "neither a party card number",
        "digits 0–9 only",
        "Say whether they are the same person",
    ):
        assert expected in messages, expected


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(roster=rosters())
def test_any_roster_has_the_same_findings_checked_in_worker_processes(world, roster, settings, monkeypatch):
    actor = world.tree.users[roster.actor]
    with rolled_back():
        # Given a drawn roster, uploaded
        built = build(roster, world)
        job = _start(actor, getattr(world.tree, roster.target), built.content, roster.name, roster.declared_encoding)
        if job is None:
            return

        # When it is previewed in this process, then in worker processes
        serial, in_workers = preview_serial_and_parallel(actor, job, settings, monkeypatch)

        # Then both found the same, in the same order
        assert in_workers == serial


def test_a_small_file_is_checked_without_starting_workers(tree, settings, monkeypatch):
    settings.IMPORT_PREVIEW_PROCESSES = 2
    pools = StartedPools(monkeypatch)
    officer = tree.users["officer_a"]
    job = start_import(officer, tree.commune_a, roster_xlsx([row_for(member_data(unit=tree.cell_a2))]), "r.xlsx")

    job = services.import_job_preview(actor=officer, job=job)

    assert (pools.count, job.new_count) == (0, 1)


# -- the worker pool itself ----------------------------------------------------------------------------------------


def add_and_name_the_process(shared: int, item: int) -> tuple[int, int]:
    return shared + item, os.getpid()


def query_the_database(shared, item):
    return Unit.objects.count()


def test_items_are_checked_in_other_processes_and_come_back_in_order():
    with parallel.InOrder(add_and_name_the_process, 100, processes=2) as runner:
        results = list(runner.results(range(20)))

    assert [total for total, _pid in results] == list(range(100, 120))
    assert os.getpid() not in {pid for _total, pid in results}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_workers_end_and_are_reaped_after_the_last_result():
    # (The caller does not wait for them: they are closed on a thread of their own.)
    with parallel.InOrder(add_and_name_the_process, 0, processes=2) as runner:
        workers = {pid for _total, pid in runner.results(range(8))}

    assert workers and os.getpid() not in workers
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def test_one_process_or_one_item_is_checked_here():
    for processes, items in ((1, range(5)), (2, [7])):
        with parallel.InOrder(add_and_name_the_process, 0, processes=processes) as runner:
            assert {pid for _total, pid in runner.results(items)} == {os.getpid()}


def _run_in_order_in(queue) -> None:
    with parallel.InOrder(add_and_name_the_process, 1, processes=2) as runner:
        queue.put([total for total, _pid in runner.results(range(4))])


def test_a_daemonic_process_as_a_celery_prefork_worker_child_starts_the_workers():
    # Given a daemonic process, as the child of a Celery prefork worker where the preview task runs (the standard
    # library's multiprocessing refuses such a process children)
    queue = billiard.get_context("fork").Queue()
    child = billiard.get_context("fork").Process(target=_run_in_order_in, args=(queue,), daemon=True)

    # When it checks items in worker processes
    child.start()
    results = queue.get(timeout=120)
    child.join(timeout=30)

    # Then they were checked
    assert results == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_worker_cannot_reach_the_database():
    # A worker opens no connection of its own: in a test it would reach another database than the test's.
    with (
        pytest.raises(RuntimeError, match="has no database"),
        parallel.InOrder(query_the_database, None, processes=2) as runner,
    ):
        list(runner.results(range(2)))
    assert connection.is_usable()
