from django.core.management.base import BaseCommand

from notifications.vapid import vapid_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push, as environment lines (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)."

    def handle(self, *args, **options):
        public, private = vapid_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}")
