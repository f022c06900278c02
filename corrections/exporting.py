"""The change file for the upstream member database: approved corrections of a period, as XLSX."""

import datetime
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log
from common.xlsx import append_plain
from members.exporting.workbooks import export_purpose_clean
from orgunits.models import Unit

from .display import describe
from .selectors import applied_corrections


@transaction.atomic
def change_file_export(
    *, actor: User, unit: Unit, start: datetime.date, end: datetime.date, purpose: str
) -> tuple[bytes, int]:
    """The XLSX and its number of rows; the export is written to the change log with its purpose (members'
    citizen IDs are in it: like every export of personal data, no purpose, no file)."""
    require_unit_permission(actor, Permission.MEMBER_VIEW, unit)
    purpose = export_purpose_clean(purpose)
    requests = describe(applied_corrections(actor=actor, unit=unit, start=start, end=end), current={})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Corrections")[:31]
    append_plain(
        sheet,
        [
            _("Party card number"),
            _("Citizen ID"),
            _("Full name"),
            _("Field"),
            _("Field code"),
            _("Old value"),
            _("New value"),
            _("Decided by"),
            _("Date"),
            _("Request"),
        ],
    )
    for request in requests:
        member = request.member
        append_plain(
            sheet,
            [
                member.card_number or "",
                member.citizen_id or "",
                member.full_name,
                request.label,
                request.field_name,
                request.old_display,
                request.new_display,
                (request.decided_by.get_full_name() or request.decided_by.get_username()) if request.decided_by else "",
                timezone.localtime(request.decided_at).strftime("%d/%m/%Y"),
                request.pk,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    change_log(
        actor=actor,
        obj=unit,
        action=ChangeAction.EXPORT,
        before=None,
        after={
            "export": "corrections_change_file",
            "unit": unit.code,
            "filters": {"start": start.isoformat(), "end": end.isoformat()},
            "rows": len(requests),
            "purpose": purpose,
        },
        # Not inside the f-string: makemessages does not find a message there, and it went untranslated.
        reason=_("Change file of approved corrections") + f": {purpose}",
        unit=unit,
    )
    return buffer.getvalue(), len(requests)
