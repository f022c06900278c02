"""Print a unit's data-quality table: counts per check, and members, problems and score per child unit.

The table of the newest pass, as the page shows it; `--refresh` runs a new pass over the whole registry first
(what the nightly task does), and is needed once before the first table.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from audit.commands import ServiceCommand
from members.quality import checks
from orgunits.models import Unit
from orgunits.selectors import unit_get


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class Command(ServiceCommand):
    help = "Print the data-quality checks of a unit's subtree, as the data-quality page shows them."

    def add_arguments(self, parser):
        parser.add_argument("unit", help="Code of the unit whose subtree is checked.")
        parser.add_argument(
            "--user", help="Show as this user (only what their roles reach); without it, the whole subtree."
        )
        parser.add_argument("--refresh", action="store_true", help="Run the checks over the whole registry first.")

    def run(self, *args, **options):
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
            try:
                unit = unit_get(actor=actor, code=options["unit"], permission=Permission.MEMBER_VIEW)
            except Http404:
                raise CommandError(f"No unit with the code {options['unit']!r} within the user's scope.") from None
        else:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit with the code {options['unit']!r}.")
        if options["refresh"]:
            run = checks.quality_refresh()
            self.stdout.write(
                _("Checked %(members)s current members: %(problems)s problems.")
                % {"members": f"{run.members_checked:,}", "problems": f"{run.problems:,}"}
            )
        report = checks.quality_report(actor=actor, unit=unit)
        if report is None:
            raise CommandError(_("The checks have not run yet: run this command with --refresh."))
        write = self.stdout.write
        summary = report.summary
        write(f"{unit.code} {unit.name}")
        write(
            _("Checked at %(time)s") % {"time": timezone.localtime(report.run.finished_at).strftime("%H:%M %d/%m/%Y")}
        )
        write(
            f"{_('Current members')}: {summary.members:,}  {_('Members with a problem')}: "
            f"{summary.members_with_problems:,}  {_('Quality score')}: {_score(summary.score)}"
        )
        write("")
        width = max(len(str(check.name)) for check in checks.CHECKS)
        write(f"{_('Check'):<{width}}  {_('Severity'):<8}  {_('Problems'):>9}")
        for check, count in report.check_counts:
            write(f"{str(check.name):<{width}}  {check.severity_label:<8}  {count:>9,}")
        if report.children:
            write("")
            # The headings outside the f-string: makemessages does not read inside one.
            unit_heading, members_heading, problems_heading, score_heading = (
                _("Unit"),
                _("Members"),
                _("Problems"),
                _("Score"),
            )
            write(f"{unit_heading:<40}  {members_heading:>9}  {problems_heading:>9}  {score_heading:>6}")
            for row in report.children:
                name = f"{row.unit.code} {row.unit.name}"[:40]
                write(f"{name:<40}  {row.members:>9,}  {row.problems:>9,}  {_score(row.score):>6}")
