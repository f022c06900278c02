import datetime

from audit.commands import ServiceCommand
from study.services import study_send_reminders


class Command(ServiceCommand):
    help = "Remind members of study assignments whose last day is near (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        reminded = study_send_reminders(day=options.get("day"))
        self.stdout.write(f"{reminded} assignments reminded")
