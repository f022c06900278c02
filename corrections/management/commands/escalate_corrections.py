import datetime

from audit.commands import ServiceCommand
from corrections.services import correction_requests_escalate


class Command(ServiceCommand):
    help = "Move every overdue correction request to the queue of the unit above (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        count = correction_requests_escalate(day=options.get("day"))
        self.stdout.write(f"{count} escalated")
