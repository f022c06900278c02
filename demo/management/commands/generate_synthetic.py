"""`manage.py generate_synthetic --size national --seed 1 --error-rate 0.02`: synthetic trees and members.

See demo/synthetic.py: rows are written with COPY (PostgreSQL) or bulk_create, without a change-log
row per member; one summary row on the central unit says what was generated.
"""

import dataclasses
import datetime
import sys
import time

from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from demo import synthetic


class Command(ServiceCommand):
    help = (
        "Generate a synthetic party tree, administrative tree and members, deterministic from a seed, "
        "with a chosen share of each kind of data error. Only into a database without units or areas."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(synthetic.SIZES), default="commune", help="A preset size.")
        for name in ("provinces", "communes", "grassroots", "cells", "members"):
            parser.add_argument(f"--{name}", type=int, help=f"Total {name} (overrides the preset).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")
        parser.add_argument(
            "--error-rate",
            type=float,
            default=0.0,
            help=f"Share of members given each kind of error ({len(synthetic.ERROR_KINDS)} kinds), e.g. 0.02.",
        )
        parser.add_argument("--as-of", help="The day the data is generated as of (YYYY-MM-DD; default today).")

    def run(self, *args, **options):
        overrides = {
            name: options[name]
            for name in ("provinces", "communes", "grassroots", "cells", "members")
            if options[name] is not None
        }
        spec = dataclasses.replace(
            synthetic.SIZES[options["size"]], seed=options["seed"], error_rate=options["error_rate"], **overrides
        )
        if options["as_of"]:
            spec = dataclasses.replace(spec, as_of=datetime.date.fromisoformat(options["as_of"]))
        try:
            spec.check()
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.monotonic()
        total = spec.members

        def progress(stage: str, done: int) -> None:
            if stage == "members" and total:
                width = 30
                filled = width * done // total
                elapsed = time.monotonic() - started
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {elapsed:,.0f}s")
                sys.stderr.flush()
            elif stage == "tree":
                self.stdout.write(f"{done:,} units written")

        try:
            summary = synthetic.generate_synthetic(spec, progress=progress)
        except synthetic.SyntheticDataExists:
            raise CommandError(
                "The database already has units or areas: synthetic data goes into an empty one."
            ) from None
        sys.stderr.write("\n")
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{summary.areas:,} areas, {summary.units:,} units, {summary.members:,} members in {seconds:,.1f} s "
            f"({summary.members / seconds:,.0f} members/s)"
        )
        for kind in synthetic.ERROR_KINDS:
            if summary.planted.get(kind):
                self.stdout.write(f"  planted {kind}: {summary.planted[kind]:,}")
