import datetime

from audit.commands import ServiceCommand
from transfers.services import transfers_send_reminders


class Command(ServiceCommand):
    help = "Remind of transfer letters and presentations due soon or late, and of temporary stays ending (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        concerned = transfers_send_reminders(day=options.get("day"))
        self.stdout.write(f"{concerned} transfers concerned")
