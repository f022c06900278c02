"""`manage.py import_units FILE.xlsx [--commit] --reason "..."`: a list of units through the unit services.

Without --commit it only checks the file and prints what it would do (the preview). See orgunits/unit_import.py.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from orgunits.unit_import import read_unit_rows, units_import, units_plan


class Command(ServiceCommand):
    help = (
        "Create units from a CSV or XLSX file (columns: code, name, kind, parent code, served area code), parents "
        "first; rename or re-area those that exist. Checks only, unless --commit. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="Write the units (otherwise only check and show).")
        parser.add_argument("--reason", default="", help="Why, for the change log (e.g. the decision's number).")

    def run(self, *args, file, commit, reason, **options):
        path = Path(file)
        try:
            rows = read_unit_rows(path.name, path.read_bytes())
            plan = units_import(actor=None, rows=rows, reason=reason) if commit else units_plan(rows)
        except OSError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for label, rows in (("create", plan.create), ("change", plan.change)):
            for row in rows:
                self.stdout.write(f"{label}\t{row.code}\t{row.name}\t{row.kind}\tunder {row.parent}")
        verb = "Done" if commit else "Checked (nothing written; run with --commit)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {len(plan.create)} to create, {len(plan.change)} to change, {len(plan.unchanged)} unchanged."
            )
        )
