from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from rollout.recount import find_differences, fix_differences


class Command(ServiceCommand):
    help = "Recount the rollout figures of every unit from scratch and print every difference with the kept counters."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Set the counters (and today's history row) to the recount."
        )

    def run(self, *args, fix=False, **options):
        differences = find_differences()
        for difference in differences:
            self.stdout.write(
                f"{difference.unit_code}\t{difference.where}\t{difference.field}\tkept={difference.kept}\t"
                f"counted={difference.counted}"
            )
        if not differences:
            self.stdout.write(self.style.SUCCESS("No differences: the rollout counters are exact."))
            return
        if fix:
            fixed = fix_differences()
            self.stdout.write(self.style.SUCCESS(f"Fixed {fixed} units."))
            return
        raise CommandError(f"{len(differences)} differences (run with --fix to correct them).")
