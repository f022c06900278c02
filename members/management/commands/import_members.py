"""`manage.py import_members FILE --unit CODE --user USERNAME [--commit]`: the roster import from the shell.

The same pipeline as the pages: read and recognise the headers, check every row (printing the problems
with row, column and message), and with --commit apply the valid rows. `--resume JOB` finishes a commit
that stopped half-way. A progress bar is drawn on a terminal.
"""

import time

from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from audit.commands import ServiceCommand
from members.choices import ImportRowKind, ImportState
from members.importing import services
from members.importing.reading import ENCODINGS
from members.models import ImportJob
from orgunits.models import Unit

BAR_WIDTH = 30
ERRORS_SHOWN = 50


class Command(ServiceCommand):
    help = "Import a member roster (.xlsx or .csv): check every row, and with --commit apply the valid ones."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The .xlsx or .csv file.")
        parser.add_argument("--unit", help="Code of the unit the roster belongs to (its cells are covered).")
        parser.add_argument("--user", required=True, help="Username of the official importing (their scope applies).")
        parser.add_argument("--encoding", default="", choices=["", *ENCODINGS], help="Encoding of a CSV file.")
        parser.add_argument("--sheet", default="", help="Sheet of an .xlsx file (default: the first with a roster).")
        parser.add_argument(
            "--map", action="append", default=[], metavar="COLUMN=FIELD", help="Map a column (letter) to a field."
        )
        parser.add_argument("--commit", action="store_true", help="Apply the valid rows after the check.")
        parser.add_argument("--resume", type=int, metavar="JOB", help="Finish applying an import that stopped.")

    def run(self, *args, **options):
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
        if options["resume"]:
            job = ImportJob.objects.select_related("unit").filter(pk=options["resume"]).first()
            if job is None:
                raise CommandError(_("No import #%(id)s.") % {"id": options["resume"]})
            return self._commit(actor, job)
        if not options["file"] or not options["unit"]:
            raise CommandError(_("Give the file and --unit (or --resume JOB)."))
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with the code %(code)s.") % {"code": options["unit"]})
        try:
            with open(options["file"], "rb") as handle:
                job = services.import_job_create(
                    actor=actor,
                    unit=unit,
                    uploaded_file=File(handle),
                    original_name=options["file"],
                    encoding=options["encoding"],
                    sheet_name=options["sheet"],
                )
        except OSError as error:
            raise CommandError(str(error)) from error
        mapping = dict(job.mapping)
        for item in options["map"]:
            column, _sep, field = item.partition("=")
            mapping[str(_column_index(column.strip()))] = field.strip()
        services.import_job_set_mapping(actor=actor, job=job, mapping=mapping, remember=False)
        self.stdout.write(
            _("Import #%(id)s: header in row %(row)s, columns: %(columns)s")
            % {
                "id": job.pk,
                "row": job.header_row,
                "columns": ", ".join(
                    f"{job.headers[int(index)]}→{field}"
                    for index, field in sorted(mapping.items(), key=lambda item: int(item[0]))
                ),
            }
        )
        started = time.monotonic()
        job = services.import_job_preview(actor=actor, job=job, progress=self._bar(_("Checking")))
        self._end_bar()
        if job.state == ImportState.FAILED:
            raise CommandError(job.error)
        self._summary(job, time.monotonic() - started)
        if options["commit"]:
            return self._commit(actor, job)
        self.stdout.write(_("Nothing was changed. Run again with --commit to apply the valid rows."))

    def _commit(self, actor: User, job: ImportJob):
        started = time.monotonic()
        job = services.import_job_commit(actor=actor, job=job, progress=self._bar(_("Applying")))
        self._end_bar()
        if job.state != ImportState.COMMITTED:
            raise CommandError(
                _("Import #%(id)s failed: %(error)s (resume with --resume %(id)s)") % {"id": job.pk, "error": job.error}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Applied %(rows)s rows in %(seconds).1f s; %(missing)s members flagged as missing from the file.")
                % {
                    "rows": f"{job.applied_rows:,}",
                    "seconds": time.monotonic() - started,
                    "missing": f"{job.missing_count:,}",
                }
            )
        )

    def _summary(self, job: ImportJob, seconds: float) -> None:
        self.stdout.write(
            _(
                "%(rows)s rows checked in %(seconds).1f s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, "
                "%(errors)s with errors; %(missing)s members of the covered cells are missing from the file."
            )
            % {
                "rows": f"{job.processed_rows:,}",
                "seconds": seconds,
                "new": f"{job.new_count:,}",
                "changed": f"{job.changed_count:,}",
                "unchanged": f"{job.unchanged_count:,}",
                "errors": f"{job.error_count:,}",
                "missing": f"{job.missing_count:,}",
            }
        )
        for row in job.rows.filter(kind=ImportRowKind.ERROR).order_by("row_number")[:ERRORS_SHOWN]:
            for error in row.errors:
                column = f" [{error['column']}]" if error["column"] else ""
                self.stdout.write(f"  {_('row')} {row.row_number}{column}: {error['message']}")

    def _bar(self, label: str):
        def progress(done: int, total: int | None) -> None:
            if not self.stdout.isatty():
                return
            if total:
                filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
                line = f"\r{label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,}"
            else:
                line = f"\r{label} {done:,}"
            self.stdout.write(line, ending="")
            self.stdout.flush()

        return progress

    def _end_bar(self) -> None:
        if self.stdout.isatty():
            self.stdout.write("")


def _column_index(column: str) -> int:
    """ "A" → 0, "AA" → 26; a number is taken as 1-based."""
    if column.isdigit():
        return int(column) - 1
    index = 0
    for char in column.upper():
        index = index * 26 + ord(char) - 64
    return index - 1
