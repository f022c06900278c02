"""What every management command that writes shares: the change log says it came from a command."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.choices import ChangeSource
from audit.context import change_context


class ServiceCommand(BaseCommand):
    """A command that calls services. Subclasses implement `run`; validation errors become CommandError."""

    def handle(self, *args, **options):
        try:
            with change_context(source=ChangeSource.COMMAND):
                return self.run(*args, **options)
        except ValidationError as error:
            messages = (
                [f"{field}: {message}" for field, items in error.message_dict.items() for message in items]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError("\n".join(messages)) from error

    def run(self, *args, **options):
        raise NotImplementedError
