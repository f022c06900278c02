"""Benchmarks 1 and 2 of issue 8: rollout figures per level, and the scoped member search, at national scale.

Run against a database loaded with the national synthetic data set (see benchmarks/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sotay_bench .venv/bin/python benchmarks/figures_and_search.py

Each figure is timed as the dashboard reads it (the unit's own counters and its children's), beside a
plain recount of the same five figures for the unit and each child (`rollout.recount.recounted_subtree`:
grouped scans of the subtree's members and help sessions) measured in the same run; the values are then
compared, field by field, and the run stops on the first unit whose figures differ from the recount. Each search
is the member list page's work for one officer: the first page of 50 and the count for the paginator.
Prints p50 and p95 in milliseconds. Read-only, except that it adds two benchmark officers once.
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


from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.scoping import forget_cached_scope  # noqa: E402
from common.pagination import page_with_total  # noqa: E402
from members.models import Member  # noqa: E402
from members.selectors import member_list  # noqa: E402
from orgunits.choices import UnitKind  # noqa: E402
from orgunits.models import Unit  # noqa: E402
from rollout.recount import recounted_subtree  # noqa: E402
from rollout.selectors import child_figures, unit_figures  # noqa: E402


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


def search_page(user: User, text: str, *, separate_count: bool = False):
    """The member list page's reads: with a search, the page and its total as the page reads them
    (`page_with_total`: since 2026-12-02 the page's keys and the total in one query, then the page's rows);
    `separate_count` times the way before 2026-12-01, a page of 50 and then the paginator's COUNT."""

    def run():
        members = member_list(actor=user, search=text)
        if text and not separate_count:
            list(page_with_total(members, 1, 50).object_list)
            return
        list(members[:50])
        members.count()

    return run


def row(label: str, result: dict) -> str:
    return f"| {label} | {result['p50']:.1f} | {result['p95']:.1f} | {result['n']} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--recount-repeats", type=int, default=5)
    parser.add_argument("--only", choices=["figures", "search"], help="Run one of the two parts.")
    parser.add_argument("--central", action="store_true", help="Also search as an officer of the central level.")
    options = parser.parse_args()

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
    print("\n| member search (page of 50 + count) | p50 ms | p95 ms | runs |\n| --- | --- | --- | --- |")
    officers = [
        ("commune officer", officer_on(commune, "bench_commune")),
        ("province officer", officer_on(province, "bench_province")),
    ]
    if options.central:
        officers.append(("central officer", officer_on(root, "bench_central")))
    for label, user in officers:
        for text in ("", "nguyen van", "thi hoa", "0912"):
            words = f"“{text}”" if text else "no search (the list's first page)"
            print(row(f"{label}: {words}", timed(search_page(user, text), options.repeats)))
            if text:
                former = timed(search_page(user, text, separate_count=True), options.repeats)
                print(row(f"{label}: {words}, page then a separate count", former))


if __name__ == "__main__":
    main()
