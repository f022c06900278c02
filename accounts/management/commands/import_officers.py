"""`manage.py import_officers FILE.xlsx --reason "..."`: officer accounts and their roles from a file.

See accounts/officers.py for the columns and the rules. Prints each new account's username and first-sign-in
code once: hand them out as activation slips.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from accounts.officers.services import officers_import, read_officer_rows
from audit.commands import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Create officer accounts and grant their roles from a CSV or XLSX file (columns: username, full name, phone, "
        "unit code, role). Nothing is written unless every row is right; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--reason", default="", help="Why, for the change log (e.g. the decision's number).")

    def run(self, *args, file, reason, **options):
        path = Path(file)
        try:
            rows = read_officer_rows(path.name, path.read_bytes())
            result = officers_import(actor=None, rows=rows, reason=reason)
        except OSError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for officer in result.accounts_created:
            self.stdout.write(f"{officer.username}\t{officer.code}\t{officer.expires_at:%d/%m/%Y}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.accounts_created)} accounts created, {result.roles_granted} roles granted, "
                f"{result.roles_held} already held."
            )
        )
