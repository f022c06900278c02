"""`manage.py load_divisions [--province 33] [--committees] [--commit] --reason "..."`: the official divisions.

Without --commit it only compares the list with the tree and prints what it would change. See orgunits/divisions.py.
"""

from pathlib import Path

from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from orgunits.divisions import divisions_load, divisions_plan, official_divisions


def _merge_pair(text: str) -> tuple[str, str]:
    old, _sep, new = text.partition("=")
    if not (old.strip().isdigit() and new.strip().isdigit()):
        raise CommandError(f"--merge takes OLD=NEW official codes, e.g. 11953=11983 (got “{text}”).")
    return old.strip(), new.strip()


class Command(ServiceCommand):
    help = (
        "Load the official provinces and communes (General Statistics Office codes, from the vietnam-provinces "
        "package) into the administrative tree, for the whole country or one province; with --committees, the province "
        "and commune committees that mirror them. Checks only, unless --commit. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="One province, by official code (33) or name (Hưng Yên).")
        parser.add_argument("--committees", action="store_true", help="Also plan a committee for each division.")
        parser.add_argument("--source", help="Another version of the list (nested-divisions.json).")
        parser.add_argument(
            "--merge",
            action="append",
            default=[],
            type=_merge_pair,
            metavar="OLD=NEW",
            help="A division gone from the list merged into another (official codes); repeat for each.",
        )
        parser.add_argument("--commit", action="store_true", help="Write the changes (otherwise only compare).")
        parser.add_argument("--reason", default="", help="Why, for the change log (e.g. the resolution's number).")

    def run(self, *args, province, committees, source, merge, commit, reason, **options):
        try:
            divisions = official_divisions(source=Path(source) if source else None, province=province)
        except OSError as error:
            raise CommandError(str(error)) from error
        arguments = {"merges": dict(merge), "committees": committees, "whole": not province}
        plan = (
            divisions_load(actor=None, divisions=divisions, reason=reason, **arguments)
            if commit
            else divisions_plan(divisions, **arguments)
        )
        for division in plan.add:
            self.stdout.write(f"add\t{division.official_code}\t{division.name}")
        for area, division in plan.rename:
            self.stdout.write(f"rename\t{division.official_code}\t{area.name} → {division.name}")
        for area, division in plan.move:
            self.stdout.write(f"move\t{division.official_code}\t{area.name} → province {division.province_code}")
        for area, into in plan.merge:
            self.stdout.write(f"merge\t{area.official_code}\t{area.name} → {into}")
        for area in plan.close:
            self.stdout.write(f"close\t{area.official_code}\t{area.name}")
        for area in plan.blocked:
            self.stdout.write(f"gone, has villages: name its successor with --merge\t{area.official_code}\t{area.name}")
        for division in plan.committees:
            self.stdout.write(f"committee\t{division.committee_code}\t{division.committee_name}")
        verb = "Done" if commit else "Compared (nothing written; run with --commit)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {len(plan.add)} to add, {len(plan.rename)} to rename, {len(plan.move)} to move, "
                f"{len(plan.merge)} to merge, {len(plan.close)} to close, {len(plan.committees)} committees to create, "
                f"{plan.unchanged} unchanged."
            )
        )
