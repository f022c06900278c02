"""Benchmarks 1 and 2 of issue 8: rollout figures per level, and the scoped member search, at national scale.

Run against a database loaded with the national synthetic data set (see benchmarks/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_bench .venv/bin/python benchmarks/figures_and_search.py

Each figure is timed as the dashboard reads it (the unit's own counters and its children's), beside a
plain recount of the same five figures for the unit and each child (`rollout.recount.recounted_subtree`:
grouped scans of the subtree's members and help sessions) measured in the same run; the values are then
compared, field by field, and the run stops on the first unit whose figures differ from the recount. Each search
is the member list page's work for one officer: the first page of 50 and its total counted up to the cap
(`common.pagination.capped_page`, as `members.views.member_list` reads them).
Prints p50 and p95 in milliseconds. Writes nothing: the benchmark officers it adds are rolled back at the end.
"""

import argparse
import functools
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
from django.db import transaction  # noqa: E402

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.scoping import forget_cached_scope  # noqa: E402
from common.pagination import capped_page  # noqa: E402
from members.models import Member  # noqa: E402
from members.selectors import member_list, member_list_paging  # noqa: E402
from orgunits.choices import UnitKind  # noqa: E402
from orgunits.models import Unit  # noqa: E402
from rollout.recount import recounted_subtree  # noqa: E402
from rollout.selectors import child_figures, unit_figures  # noqa: E402

PAGE_SIZE = 50


def timed(action, repeats: int) -> dict:
    action()  # warm the caches once, as a server that has been running would be
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
        "n": repeats,
    }


def recount(unit: Unit) -> dict:
    """The plain reference: all five figures of the unit and of each child, recounted from the rows."""
    return recounted_subtree(unit)


def differences(unit: Unit) -> list[str]:
    """Every figure the dashboard reads for `unit` and its children that differs from the recount."""
    shown = {figure.unit.pk: figure for figure in [unit_figures(unit=unit), *child_figures(unit=unit)]}
    recounted = recounted_subtree(unit)
    found = [f"{pk}: shown but not recounted" for pk in shown.keys() - recounted.keys()]
    found += [f"{pk}: recounted but not shown" for pk in recounted.keys() - shown.keys()]
    for pk in shown.keys() & recounted.keys():
        for name, value in recounted[pk].as_dict().items():
            if getattr(shown[pk], name) != value:
                found.append(f"{shown[pk].unit.code} {name}: shown {getattr(shown[pk], name)}, recounted {value}")
    return found


def officer_on(unit: Unit, username: str) -> User:
    user, _created = User.objects.get_or_create(username=username)
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=RoleKind.COMMITTEE_OFFICER)
    forget_cached_scope(user)
    return user


def dashboard(unit: Unit):
    return lambda: (unit_figures(unit=unit), child_figures(unit=unit))


def search_page(user: User, text: str, *, page_number: int = 1):
    """The member list page's reads (`capped_page`, as `members.views.member_list` calls it): the page's keys and
    its total counted up to the cap in one query, the keys again in name order if the total is past the cap (a
    search below the whole country: all in one sort of its matches), then the page's rows."""

    def run():
        members = member_list(actor=user, search=text)
        paging = member_list_paging(actor=user, search=text)
        list(capped_page(members, page_number, PAGE_SIZE, **paging).object_list)

    return run


def row(label: str, result: dict) -> str:
    return f"| {label} | {result['p50']:.1f} | {result['p95']:.1f} | {result['n']} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--recount-repeats", type=int, default=5)
    parser.add_argument("--only", choices=["figures", "search"], help="Run one of the two parts.")
    parser.add_argument("--central", action="store_true", help="Also search as an officer of the central level.")
    parser.add_argument("--last-page", action="store_true", help="Also time the last page offered past the cap.")
    parser.add_argument("--extra-search", action="append", default=[], help="Another search to time (repeatable).")
    options = parser.parse_args()
    with transaction.atomic():  # the benchmark officers are not kept: the data set is left as it was loaded
        run(options)
        transaction.set_rollback(True)


def run(options):

    root = Unit.objects.get(depth=1)
    province = Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).order_by("path").first()
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE, path__startswith=province.path).order_by("path")[0]
    cell = Unit.objects.filter(kind=UnitKind.ATTACHED_CELL, path__startswith=commune.path).order_by("path")[0]
    print(f"Members: {Member.objects.count():,}; units: {Unit.objects.count():,}")

    if options.only != "search":
        figures(options, root, province, commune, cell)
    if options.only != "figures":
        search(options, root, province, commune)


def figures(options, root, province, commune, cell):
    print("\n| rollout figures (own + children) | p50 ms | p95 ms | runs |\n| --- | --- | --- | --- |")
    for label, unit in (("root", root), ("province", province), ("commune", commune), ("cell", cell)):
        print(
            row(
                f"{label} {unit.code}",
                timed(dashboard(unit), options.repeats),
            )
        )
        print(
            row(f"{label} {unit.code}: plain recount", timed(functools.partial(recount, unit), options.recount_repeats))
        )
        wrong = differences(unit)
        print(
            f"| {label} {unit.code}: figures equal to the recount (unit and {len(recount(unit)) - 1} children, five fields) | {'yes' if not wrong else 'NO'} | | |"
        )
        if wrong:
            print("\n".join(wrong[:20]), file=sys.stderr)
            raise SystemExit(f"{len(wrong)} figures differ from the recount under {unit.code}")


def search(options, root, province, commune):
    print("\n| member search (page of 50 + capped count) | p50 ms | p95 ms | runs |\n| --- | --- | --- | --- |")
    officers = [
        ("commune officer", officer_on(commune, "bench_commune")),
        ("province officer", officer_on(province, "bench_province")),
    ]
    if options.central:
        officers.append(("central officer", officer_on(root, "bench_central")))
    last_page = settings.MEMBER_LIST_COUNT_CAP // PAGE_SIZE
    for label, user in officers:
        for text in ("", "nguyen van", "thi hoa", "0912", *options.extra_search):
            words = f"“{text}”" if text else "no search"
            paging = member_list_paging(actor=user, search=text)
            found = capped_page(member_list(actor=user, search=text), 1, PAGE_SIZE, **paging).paginator
            total = f"more than {found.cap:,}" if found.is_capped else f"{found.count:,}"
            print(row(f"{label}: {words} (first page; {total} found)", timed(search_page(user, text), options.repeats)))
            if options.last_page and found.is_capped:
                deepest = timed(search_page(user, text, page_number=last_page), options.repeats)
                print(row(f"{label}: {words} (page {last_page}, the last offered)", deepest))


if __name__ == "__main__":
    main()
