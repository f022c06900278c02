"""Benchmarks 5 and 6 of issue 8: a province compiles its report campaign over all its communes, and a notice
goes out to 1,000,000 members.

Run against the national synthetic data set (see benchmarks/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_bench .venv/bin/python benchmarks/reports_and_fanout.py

Compile: the central committee issues a campaign to the provinces; the first province issues its own
campaign (child of the central one) to all its communes, every commune submits the figures pre-filled from
live data, and the province compiles its report from them. Each step is timed; the compile is repeated.

Fan-out: accounts for the first N current members (by id; `--recipients`, default 1,000,000) are added once,
by SQL, then a notice from the central committee reaches exactly them. Timed from the notice to the last
inbox row written: without REDIS_URL the batches run in this process (the embedded default); with REDIS_URL,
by the Celery workers started beside it (`celery -A sotay worker -c 2`). Shown beside PostgreSQL's own INSERT ... SELECT of the same rows (the floor). The rows are removed afterwards.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from members.choices import CURRENT_STATUSES  # noqa: E402
from notices.services import notice_create  # noqa: E402
from notifications.models import Notification  # noqa: E402
from orgunits.choices import UnitKind  # noqa: E402
from orgunits.models import Unit  # noqa: E402
from reports import services as reports  # noqa: E402
from reports.choices import TargetTree  # noqa: E402
from reports.models import Campaign, ReportTemplate  # noqa: E402

BENCH_USERNAME_PREFIX = "bench-"
FIELDS = [
    {"key": "members", "kind": "indicator"},
    {"key": "eligible", "kind": "indicator"},
    {"key": "activated", "kind": "indicator"},
    {"key": "activated_percent_of_eligible", "kind": "indicator"},
]


def stopwatch(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def issue(unit, template, target_kind, parent=None):
    today = timezone.localdate()
    return reports.campaign_issue(
        actor=None,
        unit=unit,
        template=template,
        title="Báo cáo kết quả triển khai Sổ tay đảng viên (benchmark)",
        target_tree=TargetTree.UNITS,
        target_kind=target_kind,
        period_start=today.replace(day=1),
        period_end=today,
        cutoff_on=today,
        deadline=today + datetime.timedelta(days=7),
        parent=parent,
    )


def compile_benchmark(repeats: int) -> None:
    root = Unit.objects.get(depth=1)
    province = Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).order_by("path").first()
    template = ReportTemplate.objects.filter(code="BENCH-CDS").first() or reports.template_create(
        actor=None, unit=root, code="BENCH-CDS", title="Báo cáo triển khai (benchmark)", fields=FIELDS
    )
    central, central_seconds = stopwatch(lambda: issue(root, template, UnitKind.PROVINCE_COMMITTEE))
    own = central.submissions.get(target_unit=province)
    child, child_seconds = stopwatch(lambda: issue(province, template, UnitKind.COMMUNE_COMMITTEE, parent=central))
    communes = list(child.submissions.all())
    _none, submit_seconds = stopwatch(
        lambda: [reports.submission_submit(actor=None, submission=submission) for submission in communes]
    )
    samples = []
    for _ in range(repeats):
        _own, seconds = stopwatch(lambda: reports.submission_compile(actor=None, submission=own))
        samples.append(seconds * 1000)
    print(f"Province {province.code}: {len(communes)} communes")
    print(
        f"| central campaign issued to {central.submissions.count()} provinces (pre-filled) | {central_seconds:.2f} s |"
    )
    print(f"| province campaign issued to {len(communes)} communes (pre-filled) | {child_seconds:.2f} s |")
    print(f"| {len(communes)} communes submit (one by one) | {submit_seconds:.2f} s |")
    print(
        f"| province compiles ({repeats} runs) | p50 {statistics.median(samples):.0f} ms, max {max(samples):.0f} ms |"
    )
    Campaign.objects.filter(pk__in=[central.pk, child.pk]).update(title="(benchmark, done)")


def bench_accounts(count: int) -> int:
    """Benchmark accounts for `count` current members in all, those missing added straight by SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE username LIKE %s", [BENCH_USERNAME_PREFIX + "%"])
        missing = count - cursor.fetchone()[0]
        # Every other column takes the model's default, so a column added later cannot break this insert.
        given = {"username", "member", "password", "date_joined", "id"}
        defaults = {
            field.column: field.get_default()
            for field in User._meta.concrete_fields
            if field.name not in given and not field.null
        }
        columns = ", ".join(defaults)
        placeholders = ", ".join(["%s"] * len(defaults))
        cursor.execute(
            f"""
            INSERT INTO accounts_user (password, username, date_joined, member_id, {columns})
            SELECT '!', %s || m.id, now(), m.id, {placeholders}
            FROM members_member m LEFT JOIN accounts_user u ON u.member_id = m.id
            WHERE u.id IS NULL AND m.status = ANY(%s)
            ORDER BY m.id LIMIT %s
            """,
            [BENCH_USERNAME_PREFIX, *defaults.values(), sorted(CURRENT_STATUSES), max(missing, 0)],
        )
        cursor.execute("SELECT count(*) FROM accounts_user WHERE username LIKE %s", [BENCH_USERNAME_PREFIX + "%"])
        return cursor.fetchone()[0]


def fanout_benchmark(recipients: int) -> None:
    users = bench_accounts(recipients)
    root = Unit.objects.get(depth=1)
    print(f"Accounts: {users:,} benchmark users")

    Notification.objects.filter(kind="notice", title__startswith="Benchmark").delete()
    issuer, _created = User.objects.get_or_create(username="bench_central")
    RoleAssignment.objects.get_or_create(user=issuer, unit=root, role=RoleKind.COMMITTEE_OFFICER)
    start = time.perf_counter()
    notice = notice_create(
        actor=issuer,
        unit=root,
        title="Benchmark: lịch sinh hoạt chi bộ tháng 12",
        body="Các chi bộ tổ chức sinh hoạt định kỳ trước ngày 10/12.",
    )
    queued = time.perf_counter() - start
    inboxes = Notification.objects.filter(dedupe_key=notice.notification_key)
    # With a broker, Celery workers write the batches: wait until the last inbox row is there.
    while (written := inboxes.count()) < users:
        time.sleep(1)
    seconds = time.perf_counter() - start
    where = "in this process" if settings.CELERY_TASK_ALWAYS_EAGER else "by Celery workers"
    print(f"| notice fanned out to {written:,} inboxes, batches of 2,000 written {where} | {seconds:.1f} s |")
    print(f"| (of which issuing the notice and queueing the batches) | {queued:.1f} s |")

    Notification.objects.filter(dedupe_key=notice.notification_key).delete()
    with connection.cursor() as cursor:
        _none, copy_seconds = stopwatch(
            lambda: cursor.execute(
                """
                INSERT INTO notifications_notification (user_id, kind, title, body, url, dedupe_key, created_at,
                                                         read_at)
                SELECT id, 'notice', 'floor', '', '', '', now(), NULL FROM accounts_user
                WHERE username LIKE %s
                """,
                [BENCH_USERNAME_PREFIX + "%"],
            )
        )
        cursor.execute("DELETE FROM notifications_notification WHERE title = 'floor'")
    print(f"| PostgreSQL INSERT ... SELECT of the same rows (floor) | {copy_seconds:.1f} s |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["compile", "fanout", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--recipients", type=int, default=1_000_000)
    options = parser.parse_args()
    if options.part in ("compile", "both"):
        compile_benchmark(options.repeats)
    if options.part in ("fanout", "both"):
        fanout_benchmark(options.recipients)


if __name__ == "__main__":
    main()
