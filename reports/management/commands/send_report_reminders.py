import datetime

from audit.commands import ServiceCommand
from reports.services import reports_send_reminders


class Command(ServiceCommand):
    help = "Remind filers of reports due soon, and send one digest of late units per campaign (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        reminded, digests = reports_send_reminders(day=options.get("day"))
        self.stdout.write(f"{reminded} reports reminded, {digests} late digests")
