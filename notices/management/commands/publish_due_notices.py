from audit.commands import ServiceCommand
from notices.services import notices_publish_due


class Command(ServiceCommand):
    help = "Send the scheduled notices whose time has come (idempotent: run every minute from cron)."

    def run(self, *args, **options):
        count = notices_publish_due()
        self.stdout.write(f"{count} published")
