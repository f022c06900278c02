"""ServiceCommand (audit/commands.py): a management command's writes are logged as coming from a command, and the
services' validation errors reach the operator as a CommandError."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from audit.choices import ChangeSource
from audit.commands import ServiceCommand
from audit.context import current_context


class RecordingCommand(ServiceCommand):
    def run(self, *args, **options):
        context = current_context()
        return f"{context.source} {context.request_id is not None}"


class RefusingCommand(ServiceCommand):
    error: ValidationError

    def run(self, *args, **options):
        raise self.error


def test_a_command_runs_in_the_command_change_context_with_a_request_id_of_its_own():
    assert RecordingCommand().handle() == f"{ChangeSource.COMMAND} True"
    assert current_context().source == ChangeSource.SYSTEM, "the context ends with the command"


def test_validation_errors_by_field_become_one_command_error_line_each():
    command = RefusingCommand()
    command.error = ValidationError({"code": ["Mã đã có.", "Mã quá dài."], "name": ["Thiếu tên."]})

    with pytest.raises(CommandError) as error:
        command.handle()

    assert str(error.value).splitlines() == ["code: Mã đã có.", "code: Mã quá dài.", "name: Thiếu tên."]


def test_a_validation_error_without_fields_becomes_its_messages():
    command = RefusingCommand()
    command.error = ValidationError(["Tệp trống.", "Không đọc được."])

    with pytest.raises(CommandError) as error:
        command.handle()

    assert str(error.value).splitlines() == ["Tệp trống.", "Không đọc được."]
