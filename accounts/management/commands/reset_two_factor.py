from django.core.management.base import CommandError

from accounts.models import User
from accounts.security.two_factor import two_factor_reset
from audit.commands import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Remove a user's two-factor devices and end their sessions, for someone who lost both the phone and the "
        "recovery codes. Check who is asking first; the reason goes into the change log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, and how the person's identity was checked")

    def run(self, *args, username, reason, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from error
        two_factor_reset(actor=None, user=user, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"{username}: two-factor sign-in reset; every session ended"))
