"""Benchmark of the member's home page in one process: time per request and queries per request.

On a database with the demo data (benchmarks/README.md, section 4, has the set-up):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/home_bench DEBUG=0 .venv/bin/python benchmarks/home_page.py
    ... REDIS_URL=redis://127.0.0.1:6379/9 ... benchmarks/home_page.py        # cache and sessions in Redis
    ... HOME_CACHE_SECONDS=0 ... benchmarks/home_page.py     # the home built on every request, never kept
    ... HOME_PAGE_KEPT_WHOLE=0 ... benchmarks/home_page.py   # assembled from its kept parts on every request
    ... HOME_PAGE_KEPT_WHOLE=0 ... benchmarks/home_page.py --central-notice-before-each   # and the central unit's
        notices part rebuilt by each request, as by the first member's visit after a notice to the whole country

Signs the demo member in with Django's test client (force_login: no password hashing), asks each page a few
times to warm up, then times `--requests` GETs of each path one after the other, and reports p50 / p95 in ms (wall clock) and the
p50 of this process's CPU time per request (less disturbed by other work on the machine; the database's own
time is not in it).
The queries are counted on separate requests (CaptureQueriesContext wraps every cursor, which costs time of
its own), so the timed requests run as in production. What differs from production: the test client instead
of gunicorn and a socket, no HTTPS redirect or secure cookies (sotay.settings.base, not production).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from common.freshness import NOTICES, changed, unit_token  # noqa: E402
from orgunits.models import Unit  # noqa: E402

PATHS = ["/handbook/", "/api/meetings/next", "/api/notifications/unread-count"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--user", default="dangvien", help="the demo member (manage.py demo_logins)")
    parser.add_argument("--path", action="append", help="only these paths (repeatable); default: home and API")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request per path")
    parser.add_argument(
        "--central-notice-before-each",
        action="store_true",
        help="before each request (untimed), renew the central unit's notices token, as a notice published there does",
    )
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    central_path = Unit.objects.filter(depth=1).order_by("path").values_list("path", flat=True).first()
    client = Client()
    client.force_login(user)
    print(
        f"DEBUG={settings.DEBUG} database={connection.vendor} cache={settings.CACHES['default']['BACKEND']}"
        f" sessions={settings.SESSION_ENGINE} user={args.user} requests={args.requests}"
        f" HOME_CACHE_SECONDS={settings.HOME_CACHE_SECONDS} HOME_PAGE_KEPT_WHOLE={settings.HOME_PAGE_KEPT_WHOLE}"
        f" central notice before each={args.central_notice_before_each}"
    )
    for path in args.path or PATHS:
        for _ in range(10):  # warm up: template loader, URL resolver, connection
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        counts, sql = [], []
        for _ in range(3):
            if args.central_notice_before_each:
                changed(unit_token(central_path, NOTICES))
            with CaptureQueriesContext(connection) as counted:
                client.get(path)
            # Read now: the captured list is a slice of connection.queries, which the next request empties.
            counts.append(len(counted))
            sql = [query["sql"] for query in counted.captured_queries]
        times, cpu = [], []
        for _ in range(args.requests):
            if args.central_notice_before_each:
                changed(unit_token(central_path, NOTICES))
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
        print(
            f"{path:34} p50 {percentile(times, 0.5):6.2f} ms  p95 {percentile(times, 0.95):6.2f} ms"
            f"  mean {statistics.fmean(times):6.2f} ms  cpu p50 {percentile(cpu, 0.5):6.2f} ms"
            f"  queries/request {'/'.join(map(str, counts))}"
        )
        if args.show_queries:
            for query in sql:
                print("   ", query[:400])


if __name__ == "__main__":
    main()
