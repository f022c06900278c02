from django.core.management.base import CommandError

from accounts.choices import RoleKind
from accounts.models import User
from accounts.services import role_grant
from audit.commands import ServiceCommand
from orgunits.models import Unit


class Command(ServiceCommand):
    help = "Grant a user a role on a unit (covering its whole subtree)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=RoleKind.values)
        parser.add_argument("unit_code")
        parser.add_argument("--reason", default="")

    def run(self, *args, username, role, unit_code, reason, **options):
        try:
            user = User.objects.get(username=username)
            unit = Unit.objects.get(code=unit_code)
        except (User.DoesNotExist, Unit.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        role_grant(actor=None, user=user, unit=unit, role=role, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} on {unit.code}"))
