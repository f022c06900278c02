"""`manage.py backup_data FILE [--force]`: the whole database into FILE, and FILE.manifest.json beside it."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common import backup


class Command(BaseCommand):
    # Not a ServiceCommand: it writes no record, so there is no change log to mark.
    help = (
        "Back up the whole database into FILE (pg_dump's custom format on PostgreSQL, a copy of the database "
        "on SQLite) with FILE.manifest.json beside it: the migration state and every table's row count and "
        "checksum, for restore_data to check."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write.")
        parser.add_argument("--force", action="store_true", help="Replace a backup that exists already.")

    def handle(self, *args, file, force, verbosity, **options):
        started = time.monotonic()
        try:
            manifest = backup.backup_create(path=file, force=force, progress=self._progress if verbosity > 1 else None)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backed up %(tables)s tables (%(rows)s rows) into %(file)s in %(seconds).1f s; manifest: %(manifest)s"
                )
                % {
                    "tables": len(manifest["tables"]),
                    "rows": sum(table["rows"] for table in manifest["tables"].values()),
                    "file": file,
                    "seconds": time.monotonic() - started,
                    "manifest": backup.manifest_path_for(file),
                }
            )
        )

    def _progress(self, table: str, rows: int) -> None:
        self.stdout.write(f"  {table}: {rows}")
