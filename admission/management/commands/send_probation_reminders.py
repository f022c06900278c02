import datetime

from admission.services import probation_send_reminders
from audit.commands import ServiceCommand


class Command(ServiceCommand):
    help = "Open the missing probation cases and remind probationary members, secretaries and committees (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        due, late = probation_send_reminders(day=options.get("day"))
        self.stdout.write(f"{due} probations due reminded, {late} late")
