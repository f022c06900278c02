"""How requests read on a page: field labels and values as people write them (dd/mm/yyyy, cell names)."""

from django.utils.text import capfirst

from audit.services import snapshot
from members.display import format_value, related_names
from members.models import Member

from .policy import section_of


def label_of(field_name: str) -> str:
    # capfirst, not str.capitalize(), which lowers the rest: "Số cccd", "Ngày vào đảng".
    return capfirst(str(Member._meta.get_field(field_name).verbose_name))


def describe(requests, *, current: dict[int, dict] | None = None) -> list:
    """Annotate requests with readable values: `label`, `old_display`, `new_display`, `current_display`,
    `conflict_display`. Names of cells and villages cost at most two queries, however many requests."""
    requests = list(requests)
    current = current if current is not None else {}
    for request in requests:
        if request.member_id not in current and "member" in request._state.fields_cache:
            current[request.member_id] = snapshot(request.member)
    pseudo = []
    for request in requests:
        attname = Member._meta.get_field(request.field_name).attname
        pseudo += [{attname: request.old_value}, {attname: request.new_value}, {attname: request.conflict_value}]
        pseudo.append({attname: current.get(request.member_id, {}).get(attname)})
    names = related_names(pseudo)
    for request in requests:
        field = Member._meta.get_field(request.field_name)
        request.label = label_of(request.field_name)
        request.section = section_of(request.field_name)
        request.old_display = format_value(field, request.old_value, names)
        request.new_display = format_value(field, request.new_value, names)
        request.conflict_display = format_value(field, request.conflict_value, names)
        values = current.get(request.member_id)
        request.current_display = format_value(field, values.get(field.attname), names) if values else ""
    return requests
