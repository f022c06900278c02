"""`manage.py restore_data FILE [--force] [--verify-only]`: replace the database with a backup_data backup,
then check every table against the backup's manifest."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common import backup


class Command(BaseCommand):
    # Not a ServiceCommand: the restored rows carry their own change log; this writes none of its own.
    help = (
        "Restore a backup made by backup_data, replacing the whole database (stop the application first), "
        "and check that every table's row count and checksum match the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (its FILE.manifest.json must be beside it).")
        parser.add_argument(
            "--force", action="store_true", help="Restore even though the database holds data (it is replaced)."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only check that the backup matches its manifest and can be read; do not touch the database.",
        )

    def handle(self, *args, file, force, verify_only, verbosity, **options):
        started = time.monotonic()
        try:
            if verify_only:
                manifest = backup.backup_verify(path=file)
            else:
                manifest = backup.backup_restore(
                    path=file, force=force, progress=self._progress if verbosity > 1 else None
                )
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        values = {
            "file": file,
            "created_at": manifest["created_at"],
            "tables": len(manifest["tables"]),
            "rows": sum(table["rows"] for table in manifest["tables"].values()),
            "seconds": time.monotonic() - started,
        }
        if verify_only:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(file)s (made %(created_at)s) matches its manifest: %(tables)s tables, %(rows)s rows.") % values
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(file)s (made %(created_at)s) in %(seconds).1f s: all %(tables)s tables "
                    "(%(rows)s rows) match the manifest."
                )
                % values
            )
        )
        pending = backup.pending_migrations()
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    _("The backup is older than the code: run `manage.py migrate` (%(count)s migrations to apply).")
                    % {"count": len(pending)}
                )
            )

    def _progress(self, table: str, rows: int) -> None:
        self.stdout.write(f"  {table}: {rows}")
