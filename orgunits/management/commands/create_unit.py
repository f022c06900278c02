from django.core.management.base import CommandError

from audit.commands import ServiceCommand
from orgunits.choices import UnitKind
from orgunits.models import AdminArea, Unit
from orgunits.services import unit_create


class Command(ServiceCommand):
    help = "Create a party unit (the central level needs no --parent)."

    def add_arguments(self, parser):
        parser.add_argument("--parent", help="code of the parent unit")
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=UnitKind.values)
        parser.add_argument("--area", help="code of the administrative area served")
        parser.add_argument("--reason", default="")

    def run(self, *args, parent, code, name, kind, area, reason, **options):
        try:
            parent_unit = Unit.objects.get(code=parent) if parent else None
            area_node = AdminArea.objects.get(code=area) if area else None
        except (Unit.DoesNotExist, AdminArea.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        unit = unit_create(
            actor=None, parent=parent_unit, code=code, name=name, kind=kind, area=area_node, reason=reason
        )
        self.stdout.write(self.style.SUCCESS(f"Created {unit.code}: {unit.name}"))
