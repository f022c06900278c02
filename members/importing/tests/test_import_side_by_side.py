"""On PostgreSQL the commit writes two batches at once, each on its own connection, and commits them in the file's
order: the same members, change log and figures as one by one; the applied mark always names rows all applied;
a failing batch stops the ones after it. Each batch commits for real here, so these tests run outside the test's
own transaction (and then empty the database)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from audit.choices import ChangeSource
from audit.models import ChangeLog
from members.choices import ImportRowKind, ImportState, MemberReviewFlagKind
from members.importing import services
from members.importing.tests.test_import import (  # private_media: the uploads go to a temporary folder here too
    patch_member_creation,
    preview,
    private_media,  # noqa: F401
    roster_csv,
    row_for,
)
from members.models import Member, MemberReviewFlag
from members.tests.factories import member_data
from rollout.recount import find_differences
from rollout.selectors import unit_figures

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="side by side on PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def two_connections(monkeypatch):
    monkeypatch.setattr(services, "COMMIT_CONNECTIONS", 2)


def _previewed(tree, count: int, **changes_of_the_last):
    officer = tree.users["officer_a"]
    cells = [tree.cell_a1, tree.cell_a2]
    rows = [row_for(member_data(unit=cells[number % 2]), number=number) for number in range(1, count)]
    rows.append(row_for(member_data(unit=tree.cell_a2), number=count, **changes_of_the_last))
    return officer, preview(officer, tree.commune_a, roster_csv(rows))


def _new_row_ids(job) -> list[int]:
    return list(job.rows.filter(kind=ImportRowKind.NEW).order_by("pk").values_list("pk", flat=True))


def test_batches_written_on_two_connections_give_the_members_log_and_figures_of_one_by_one(tree, monkeypatch):
    # The last row gives only a year of birth: its member is flagged for review, in the official's language.
    officer, job = _previewed(tree, 7, date_of_birth="1960")
    figures_before = unit_figures(unit=tree.commune_a).members
    connections_used = set()

    def noted(real_create, **kwargs):
        connections_used.add(connection.connection.info.backend_pid)
        return real_create(**kwargs)

    patch_member_creation(monkeypatch, noted)

    with translation.override("en"):
        job = services.import_job_commit(actor=officer, job=job, batch_size=2)

    assert job.state == ImportState.COMMITTED
    assert (job.applied_rows, job.applied_through) == (7, _new_row_ids(job)[-1])
    flag = MemberReviewFlag.objects.get(kind=MemberReviewFlagKind.PARTIAL_DATE)
    assert (flag.field, flag.detail) == ("date_of_birth", "Only the year was given; stored as 1 January.")
    job.refresh_from_db()
    assert (job.applied_rows, job.applied_through) == (7, _new_row_ids(job)[-1])
    assert len(connections_used) >= 2
    assert connection.connection.info.backend_pid not in connections_used
    cards = list(job.rows.filter(kind=ImportRowKind.NEW).values_list("data__card_number", flat=True))
    members = Member.objects.filter(card_number__in=cards)
    assert members.count() == 7
    logged = ChangeLog.objects.filter(source=ChangeSource.IMPORT, action="create", object_id__in=members.values("pk"))
    assert logged.count() == 7
    assert unit_figures(unit=tree.commune_a).members == figures_before + 7
    assert find_differences() == []


def test_a_batch_written_first_still_commits_after_the_batch_before_it(tree, monkeypatch):
    # Given: the first batch is held back until the second has written its members and waits for its turn
    officer, job = _previewed(tree, 4)
    first_row = _new_row_ids(job)[0]
    second_waits = threading.Event()
    marks = []

    def first_held_back(real_create, **kwargs):
        if kwargs["row_ids"][0] == first_row:
            assert second_waits.wait(timeout=30), "the second batch never came to its turn"
            return real_create(**kwargs)

        def wait_noted():
            second_waits.set()
            kwargs_turn()

        kwargs_turn = kwargs["wait_turn"]
        return real_create(**{**kwargs, "wait_turn": wait_noted})

    real_mark = services._mark_applied

    def mark_noted(job, *, applied, through):
        marks.append((applied, through))
        real_mark(job, applied=applied, through=through)

    patch_member_creation(monkeypatch, first_held_back)
    monkeypatch.setattr(services, "_mark_applied", mark_noted)

    job = services.import_job_commit(actor=officer, job=job, batch_size=2)

    # Then: the second batch was written while the first was held, and committed after it
    row_ids = _new_row_ids(job)
    assert job.state == ImportState.COMMITTED
    assert second_waits.is_set()
    assert marks == [(2, row_ids[1]), (4, row_ids[3])]
    assert find_differences() == []


def test_a_failing_batch_stops_the_batches_after_it_and_the_commit_resumes_after_the_last_one_committed(
    tree, monkeypatch
):
    officer, job = _previewed(tree, 6)
    row_ids = _new_row_ids(job)
    cards = dict(job.rows.filter(kind=ImportRowKind.NEW).values_list("pk", "data__card_number"))

    def second_batch_refused(real_create, **kwargs):
        if kwargs["row_ids"][0] == row_ids[2]:
            raise ValidationError("Chi bộ đã giải thể.")
        return real_create(**kwargs)

    patch_member_creation(monkeypatch, second_batch_refused)

    job = services.import_job_commit(actor=officer, job=job, batch_size=2)

    assert (job.state, job.error) == (ImportState.FAILED, "Chi bộ đã giải thể.")
    job.refresh_from_db()
    assert (job.applied_rows, job.applied_through) == (2, row_ids[1])
    assert set(Member.objects.filter(card_number__in=cards.values()).values_list("card_number", flat=True)) == {
        cards[row_ids[0]],
        cards[row_ids[1]],
    }
    assert find_differences() == []

    monkeypatch.undo()
    monkeypatch.setattr(services, "COMMIT_CONNECTIONS", 2)
    job = services.import_job_commit(actor=officer, job=job, batch_size=2)

    assert job.state == ImportState.COMMITTED
    assert (job.applied_rows, job.applied_through) == (6, row_ids[-1])
    members = Member.objects.filter(card_number__in=cards.values())
    assert members.count() == 6
    assert ChangeLog.objects.filter(source=ChangeSource.IMPORT, object_id__in=members.values("pk")).count() == 6
    assert find_differences() == []
