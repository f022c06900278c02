"""Study figures at scale: what the committee's pages read for an assignment given to a whole province.

Run against a database loaded with a synthetic set (benchmarks/README.md, "Study figures"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_study .venv/bin/python benchmarks/study_figures.py

It assigns one study to the province (once), gives about half its current members progress rows (a quarter of the
members studied, a sixth passed the quiz), then times, at the province, at one commune and at one cell: the figures
page's read (`study_figures`: the unit and its children), the first page of the members who have not started with
its count (`member_states`, as the members page pages it), and checks the figures against a plain recount.
Prints p50 and p95 in milliseconds.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from members.choices import CURRENT_STATUSES  # noqa: E402
from members.models import Member  # noqa: E402
from orgunits.choices import CELL_KINDS, UnitKind  # noqa: E402
from orgunits.models import Unit  # noqa: E402
from study.models import StudyAssignment, StudyProgress  # noqa: E402
from study.selectors import member_states, study_figures  # noqa: E402
from study.services import assignment_create  # noqa: E402

TITLE = "Benchmark: học tập nghị quyết"


def timed(action, repeats: int) -> dict:
    action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]}


def officer_for(province: Unit) -> User:
    user, created = User.objects.get_or_create(username="bench_study_officer")
    if created:
        RoleAssignment.objects.create(user=user, unit=province, role=RoleKind.COMMITTEE_ADMIN)
    return user


@transaction.atomic
def prepared(province: Unit, officer: User) -> StudyAssignment:
    assignment = StudyAssignment.objects.filter(title=TITLE).first()
    if assignment is not None:
        return assignment
    today = timezone.localdate()
    assignment = assignment_create(
        actor=officer,
        unit=province,
        data={
            "kind": "resolution",
            "title": TITLE,
            "text": "Nội dung",
            "starts_on": today - datetime.timedelta(days=10),
            "ends_on": today + datetime.timedelta(days=20),
            "pass_mark": 80,
            "max_attempts": 3,
        },
        documents=[],
    )
    rng = random.Random(7)
    now = timezone.now()
    ids = Member.objects.filter(unit__path__startswith=province.path, status__in=CURRENT_STATUSES).values_list(
        "pk", flat=True
    )
    rows = []
    for member_id in ids.iterator(chunk_size=10_000):
        draw = rng.random()
        if draw >= 0.5:
            continue
        studied = now if draw < 0.25 else None
        rows.append(
            StudyProgress(
                assignment=assignment,
                member_id=member_id,
                steps_done=["text"] if studied else [],
                studied_at=studied,
                passed_at=now if draw < 0.1667 else None,
                attempts_used=1 if studied else 0,
                best_score=100 if draw < 0.1667 else None,
            )
        )
    StudyProgress.objects.bulk_create(rows, batch_size=5_000)
    return assignment


def recount(assignment: StudyAssignment, unit: Unit) -> tuple[int, int, int, int]:
    members = Member.objects.filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES)
    progress = StudyProgress.objects.filter(assignment=assignment, member__in=members)
    return (
        members.count(),
        progress.count(),
        progress.filter(studied_at__isnull=False).count(),
        progress.filter(passed_at__isnull=False).count(),
    )


def main() -> None:
    province = Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).order_by("path").first()
    officer = officer_for(province)
    started = time.perf_counter()
    assignment = prepared(province, officer)
    print(f"prepared in {time.perf_counter() - started:.1f} s: {assignment.progress.count():,} progress rows")
    commune = Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE_COMMITTEE).order_by("path")[0]
    cell = Unit.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS).order_by("path")[0]
    for label, unit in (("province", province), ("commune", commune), ("cell", cell)):
        total, children = study_figures(actor=officer, assignment=assignment, unit=unit)
        expected = recount(assignment, unit)
        found = (total.members, total.started, total.studied, total.passed)
        assert found == expected, (label, found, expected)
        figures = timed(lambda unit=unit: study_figures(actor=officer, assignment=assignment, unit=unit), 10)

        def not_started_page(unit=unit):
            rows = member_states(actor=officer, assignment=assignment, unit=unit, state="not_started")
            page = Paginator(rows, 30).get_page(1)
            return len(page.object_list), page.paginator.count

        shown, waiting = not_started_page()
        listing = timed(not_started_page, 10)
        print(
            f"{label:8} members {total.members:>7,}  children {len(children):>4}  figures p50 {figures['p50']:7.1f} ms"
            f" p95 {figures['p95']:7.1f}  |  not started {waiting:>7,} (page of {shown}) p50 {listing['p50']:7.1f} ms"
            f" p95 {listing['p95']:7.1f}  |  equal to the recount"
        )


if __name__ == "__main__":
    main()
