"""Benchmarks 5 and 6 of issue 8: a province compiles its report campaign over all its communes, and a notice
goes out to the whole tree (issue 27: in every inbox at once, fan-out on read).

Run against the national synthetic data set (see benchmarks/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_bench .venv/bin/python benchmarks/reports_and_fanout.py

Compile: the central committee issues a campaign to the provinces; the first province issues its own
campaign (child of the central one) to all its communes, every commune submits the figures pre-filled from
live data, and the province compiles its report from them. Each step is timed; the compile is repeated.

Notice: accounts for the first N current members (by id; `--recipients`, default 1,000,000) are added once, by
SQL; a notice from the central committee then reaches every current member with an account. Timed: publishing
(the request's part; the push fan-out it queues is run next on its own clock, as a worker would), and until the
notice is in the inbox of a member at the bottom of the tree (unread count, inbox rows written, first page read).
Then that member's unread count and inbox with `--broad` notices above them, and the notice's exact read rate.
The benchmark's notices are withdrawn at the end and their inbox rows and read marks removed.
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

from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from members.choices import CURRENT_STATUSES  # noqa: E402
from notices.models import NoticeRead  # noqa: E402
from notices.services import notice_read_record  # noqa: E402
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


def timed_median(action, runs: int) -> tuple[object, float]:
    samples, result = [], None
    for _ in range(runs):
        result, seconds = stopwatch(action)
        samples.append(seconds * 1000)
    return result, statistics.median(samples)


def fresh(user_id: int) -> User:
    """The user as a request sees it: nothing read yet (its record and roles are read by the first selector)."""
    return User.objects.get(pk=user_id)


def notice_benchmark(recipients: int, broad: int, runs: int) -> None:
    """A notice to the whole tree: publishing (the request's part, and the push fan-out queued after it, timed
    apart as a worker would run it), then the inbox of a member at the bottom of the tree; then the inbox and unread
    count of that member with `broad` notices above them."""
    from notices import services as notice_services
    from notices.selectors import notice_read_rates
    from notifications.selectors import inbox_for, unread_count
    from notifications.services import inbox_catch_up

    users = bench_accounts(recipients)
    root = Unit.objects.get(depth=1)
    bottom = (
        User.objects.filter(username__startswith=BENCH_USERNAME_PREFIX, member__status__in=CURRENT_STATUSES)
        .order_by("-member__unit__depth", "pk")
        .select_related("member__unit")
        .first()
    )
    recipients_now = User.objects.filter(member__status__in=CURRENT_STATUSES, is_active=True).count()
    print(f"Accounts: {users:,} benchmark users; {recipients_now:,} current members with an account")
    print(f"Member at the bottom: {bottom.username} in {bottom.member.unit.code} (depth {bottom.member.unit.depth})")
    issuer, _created = User.objects.get_or_create(username="bench_central")
    RoleAssignment.objects.get_or_create(user=issuer, unit=root, role=RoleKind.COMMITTEE_OFFICER)
    issued = []
    # A server has its URLs loaded before it serves (the inbox rows carry a link): 3 s of imports, not the inbox's.
    reverse("notices:list")

    # The push fan-out is queued for a worker (as with a broker), and run below on its own clock.
    queued: list[int] = []
    real_queue = notice_services._queue_fan_out
    notice_services._queue_fan_out = queued.append
    try:
        start = time.perf_counter()
        notice = notice_services.notice_create(
            actor=issuer,
            unit=root,
            title="Benchmark: lịch sinh hoạt chi bộ tháng 12",
            body="Các chi bộ tổ chức sinh hoạt định kỳ trước ngày 10/12.",
        )
        published = time.perf_counter() - start
        member = fresh(bottom.pk)
        count, count_seconds = stopwatch(lambda: unread_count(user=member))
        _none, inbox_seconds = stopwatch(lambda: (inbox_catch_up(user=member), list(inbox_for(user=member)[:30])))
        first_page = _none[1]
        visible = time.perf_counter() - start
    finally:
        notice_services._queue_fan_out = real_queue
    issued.append(notice)
    assert any(item.url.endswith(f"/{notice.pk}/") for item in first_page), "the notice is not in the inbox"
    _none, fan_out_seconds = stopwatch(lambda: [notice_services.notice_fan_out(notice_id=pk) for pk in queued])
    print(f"| notice to the whole tree ({recipients_now:,} members with an account): published | {published:.2f} s |")
    print(
        f"| ... and in the inbox of {bottom.username} (unread {count}, inbox read and its row written) "
        f"| {visible:.2f} s after publishing began (count {count_seconds:.2f} s, inbox {inbox_seconds:.2f} s) |"
    )
    print(f"| push fan-out in the background (recipients with a push subscription only) | {fan_out_seconds:.2f} s |")

    # The same member with `broad` notices above them, from every level of their branch.
    branch = Unit.objects.filter(path__in=Unit.ancestor_paths(bottom.member.unit.path)).order_by("depth")
    branch = list(branch)
    for index in range(broad - 1):
        unit = branch[index % len(branch)]
        issued.append(
            notice_services.notice_create(
                actor=issuer, unit=unit, title=f"Benchmark: thông báo {index + 1}", body="Nội dung thông báo."
            )
        )
    member = fresh(bottom.pk)
    unread_count(user=member)  # the record and roles, read once per request by the menu
    count, count_ms = timed_median(lambda: unread_count(user=member), runs)
    fresh_member = fresh(bottom.pk)
    written, first_visit_ms = stopwatch(lambda: inbox_catch_up(user=fresh_member))
    _none, next_visit_ms = timed_median(lambda: inbox_catch_up(user=member), runs)
    page, list_ms = timed_median(lambda: list(inbox_for(user=member)[:30]), runs)
    print(f"| unread count of {bottom.username} with {broad} notices above ({count} unread), p50 | {count_ms:.1f} ms |")
    print(f"| first inbox visit: {written} rows written | {first_visit_ms * 1000:.1f} ms |")
    print(f"| next visits: nothing to write (one query), p50 | {next_visit_ms:.1f} ms |")
    print(f"| inbox first page ({len(page)} rows), p50 | {list_ms:.1f} ms |")

    notice_read_record(user=member, notice=notice)
    rates, rates_seconds = stopwatch(lambda: notice_read_rates(notice))
    print(
        f"| exact read rate of the whole-tree notice, root and {len(rates) - 1} children "
        f"({rates[0].read} of {rates[0].recipients:,}) | {rates_seconds:.1f} s |"
    )

    # Withdrawn, so that other benchmarks' members do not find them; their rows and read marks removed.
    for item in issued:
        notice_services.notice_withdraw(actor=issuer, notice=item, reason="benchmark")
    Notification.objects.filter(dedupe_key__in=[item.notification_key for item in issued]).delete()
    NoticeRead.objects.filter(notice__in=issued).delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["compile", "notice", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--broad", type=int, default=50, help="notices above the member for the inbox's timings")
    options = parser.parse_args()
    if options.part in ("compile", "both"):
        compile_benchmark(options.repeats)
    if options.part in ("notice", "both"):
        notice_benchmark(options.recipients, options.broad, options.repeats)


if __name__ == "__main__":
    main()
