import datetime

from audit.commands import ServiceCommand
from rating.services import rating_send_reminders


class Command(ServiceCommand):
    help = "Remind members of self-reviews due soon, and send one digest per cell once they are due (idempotent: run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="Take this day as today (YYYY-MM-DD).")

    def run(self, *args, **options):
        reminded, digests = rating_send_reminders(day=options.get("day"))
        self.stdout.write(f"{reminded} campaigns reminded, {digests} cell digests")
