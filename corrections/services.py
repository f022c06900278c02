"""Every write of the correction workflow: verifying a record, requesting a correction, deciding, escalating.

Approving applies the change through `members.services.member_update`, in the same transaction, with
the request named in the change log's reason; the change-log row is kept on the request.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission
from accounts.selectors import nearest_role_holders
from audit.models import ChangeLog
from audit.services import snapshot
from common.dates import add_working_days, today
from common.text import normalize_name, normalize_phone
from members.models import Member
from members.services import member_field_value, member_update, require_phone_free, unstorable_text_message
from members.validation import normalize_background_file_number
from notifications.services import Message, notify
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of, escalation_unit
from rollout.services import member_verification_recorded

from .choices import DECIDED_STATES, OPEN_STATES, Decision, EventKind, Level, RequestState, Route, Section
from .models import Attachment, CorrectionEvent, CorrectionRequest, FieldPolicy, SectionVerification
from .policy import (
    DECIDING_LEVEL,
    DEFAULT_DEADLINE_WORKING_DAYS,
    FIRST_LEVEL,
    authority_unit,
    field_policies,
)

# The papers we accept, recognised by their first bytes whatever the file is called.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
MAX_ATTACHMENTS = 5


# ---------------------------------------------------------------- who may act


def can_act_for_member(actor: User, member: Member) -> bool:
    """The member themself, or anyone who may see the record (officials, supporters helping the member)."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.member_id == member.pk or has_unit_permission(actor, Permission.MEMBER_VIEW, member.unit)


def require_can_act_for_member(actor: User, member: Member) -> None:
    if not can_act_for_member(actor, member):
        raise PermissionDenied(_("You may not act for this member."))


def can_decide(actor: User, request: CorrectionRequest) -> bool:
    """Officials holding `member.change` on the unit whose queue holds the request (or on a unit above it)."""
    return request.assigned_unit is not None and has_unit_permission(
        actor, Permission.MEMBER_CHANGE, request.assigned_unit
    )


# ---------------------------------------------------------------- values


def member_field(field_name: str):
    return Member._meta.get_field(field_name)


def stored_value(field_name: str, value):
    """A value as the change log stores it: JSON, dates in ISO form, foreign keys by id."""
    field = member_field(field_name)
    if field.is_relation:
        value = value.pk if value is not None else None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def python_value(field_name: str, value):
    field = member_field(field_name)
    if field.is_relation:
        return field.related_model.objects.get(pk=value) if value is not None else None
    return field.to_python(value)


def current_value(member: Member, field_name: str):
    return snapshot(member).get(member_field(field_name).attname)


def _policies() -> dict[str, FieldPolicy]:
    return field_policies()


# ---------------------------------------------------------------- verification


@transaction.atomic
def record_verify(*, actor: User, member: Member, sections: list[str]) -> list[SectionVerification]:
    """Record that sections of a member's record are correct, today. The single place a verification is made.

    The rollout's "records verified" figure counts the member's first verification, in the same transaction.
    """
    require_can_act_for_member(actor, member)
    unknown = set(sections) - set(Section.values)
    if not sections or unknown:
        raise ValidationError({"section": _("Choose a section of the record.")})
    now = timezone.now()
    verifications = SectionVerification.objects.bulk_create(
        [
            SectionVerification(
                member=member,
                section=section,
                verified_on=today(),
                verified_at=now,
                verified_by=actor,
                member_version=member.version,
            )
            for section in sections
        ]
    )
    member_verification_recorded(member=member, when=now)
    return verifications


# ---------------------------------------------------------------- attachments


def attachment_type(upload) -> str:
    """The paper's type read from its first bytes; ValidationError for anything else or anything too big."""
    if upload.size > settings.CORRECTIONS_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "attachments": _("“%(name)s” is larger than %(size)s MB.")
                % {"name": upload.name, "size": settings.CORRECTIONS_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError({"attachments": _("“%(name)s” is not a JPEG, PNG or PDF file.") % {"name": upload.name}})


def _attachments_create(*, actor: User, member: Member, uploads) -> list[Attachment]:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}})
    types = [attachment_type(upload) for upload in uploads]
    attachments = []
    for upload, content_type in zip(uploads, types, strict=True):
        attachment = Attachment(
            member=member,
            content_type=content_type,
            size=upload.size,
            original_name=(upload.name or "")[:200],
            uploaded_by=actor,
        )
        attachment.file.save(upload.name or "paper", upload, save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments


# ---------------------------------------------------------------- events


def _event(
    request: CorrectionRequest, kind: str, *, actor: User | None = None, note: str = "", unit=None
) -> CorrectionEvent:
    return CorrectionEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        unit=unit if unit is not None else request.assigned_unit,
        note=note,
    )


def _assign(request: CorrectionRequest, level: str, *, deadline_days: int, unit: Unit | None = None) -> None:
    request.level = level
    request.assigned_unit = unit or authority_unit(request.member.unit, level)
    request.due_on = add_working_days(today(), deadline_days)


def _deadline_days(field_name: str) -> int:
    policy = field_policies().get(field_name)
    return policy.deadline_working_days if policy else DEFAULT_DEADLINE_WORKING_DAYS


def _change_log_reason(requests: list[CorrectionRequest], note: str = "") -> str:
    numbers = ", ".join(f"#{request.pk}" for request in requests)
    text = _("Correction request %(numbers)s: %(reason)s") % {"numbers": numbers, "reason": requests[0].reason}
    return f"{text} ({note})" if note else text


def _latest_change_log(member: Member) -> ChangeLog | None:
    return ChangeLog.objects.for_object(member).order_by("-id").first()


# ---------------------------------------------------------------- requests


def _tidy(field_name: str, value):
    """The value as the member services will store it, so "+84 912 345 678" asks for the same phone as 0912345678."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if field_name in ("full_name", "birth_name"):
        return normalize_name(value)
    if field_name in ("citizen_id", "card_number"):
        return value.replace(" ", "") or None
    if field_name == "phone":
        return normalize_phone(value)
    if field_name == "background_file_number":
        return normalize_background_file_number(value)
    return value


def _check_new_value(member: Member, field_name: str, value) -> None:
    field = member_field(field_name)
    if field.is_relation:
        if field_name == "unit" and (value is None or not value.is_cell or not value.is_open):
            raise ValidationError({field_name: _("The place of party activity must be an open cell.")})
        return
    if value in (None, "") and not field.blank:
        raise ValidationError({field_name: _("This field cannot be empty.")})
    if field_name == "phone":
        require_phone_free(phone=value, member=member)
    if value not in (None, ""):
        try:
            field.clean(value, member)
        except ValidationError as error:
            raise ValidationError({field_name: error.messages}) from error


@transaction.atomic
def correction_request_create(
    *, actor: User, member: Member, changes: dict, reason: str, attachments=()
) -> list[CorrectionRequest]:
    """Ask for fields of a member's record to be corrected: one request per field, routed by the policy table.

    Fields the policy lets the member change are applied at once (one change-log row for them all).
    """
    member = _locked_member(member.pk)
    require_can_act_for_member(actor, member)
    errors: dict[str, list[str]] = {}
    reason = reason.strip() if isinstance(reason, str) else reason
    if reason is not None and not isinstance(reason, str):
        errors["reason"] = [_("Enter a valid value.")]
    elif not reason:
        errors["reason"] = [_("Say why the record is wrong (for example, which paper shows the right value).")]
    elif problem := unstorable_text_message(reason):
        errors["reason"] = [problem]
    if not changes:
        errors["__all__"] = [_("Change at least one value.")]
    policies = _policies()
    open_fields = set(
        CorrectionRequest.objects.open()
        .filter(member=member, field_name__in=[field_name for field_name in changes if field_name in policies])
        .values_list("field_name", flat=True)
    )
    typed = {}
    for field_name, value in changes.items():
        if field_name not in policies:
            errors.setdefault(field_name, []).append(_("This field cannot be corrected by request."))
            continue
        if field_name in open_fields:
            errors.setdefault(field_name, []).append(_("A request to correct this field is already open."))
            continue
        try:
            # The value as the record holds it (a date, a cell...): anything else is refused with a message.
            value = typed[field_name] = _tidy(field_name, member_field_value(field_name, value))
        except ValidationError as error:
            errors.setdefault(field_name, []).extend(error.message_dict[field_name])
            continue
        if stored_value(field_name, value) == current_value(member, field_name):
            errors.setdefault(field_name, []).append(_("This is the value already on the record."))
            continue
        try:
            _check_new_value(member, field_name, value)
        except ValidationError as error:
            for message in error.message_dict.get(field_name, error.messages):
                errors.setdefault(field_name, []).append(message)
    if errors:
        raise ValidationError(errors)
    changes = typed
    papers = _attachments_create(actor=actor, member=member, uploads=list(attachments))

    requests = []
    for field_name, value in changes.items():
        policy = policies[field_name]
        request = CorrectionRequest(
            member=member,
            field_name=field_name,
            old_value=current_value(member, field_name),
            new_value=stored_value(field_name, value),
            member_version=member.version,
            route=policy.route,
            reason=reason,
            requested_by=actor,
        )
        if field_name == "unit":
            request.target_unit = value
            request.is_transfer = commune_committee_of(value).pk != commune_committee_of(member.unit).pk
        if policy.route != Route.MEMBER:
            _assign(request, FIRST_LEVEL[policy.route], deadline_days=policy.deadline_working_days)
        request.save()
        request.attachments.set(papers)
        _event(request, EventKind.SUBMITTED, actor=actor, note=reason)
        requests.append(request)

    at_once = [request for request in requests if request.route == Route.MEMBER]
    if at_once:
        _apply_at_once(actor=actor, member=member, requests=at_once)
    for unit in {request.assigned_unit for request in requests if request.assigned_unit_id}:
        _tell_queue(unit)
    return requests


def _tell_queue(unit: Unit, *, day=None) -> None:
    """Those who decide for `unit` hear that requests wait in their queue: once a day at most, however many
    arrive (in a rollout a commune receives hundreds), from their inbox to the queue."""
    day = day or today()
    with translation.override(settings.LANGUAGE_CODE):
        message = Message(
            kind="corrections.waiting",
            title=_("Correction requests are waiting in your queue"),
            body=unit.name,
            url=reverse("corrections:queue"),
            dedupe_key=f"corrections.waiting:{unit.pk}:{day.isoformat()}",
        )
    notify(recipients=nearest_role_holders(unit, Permission.MEMBER_CHANGE), message=message)


def _apply_at_once(*, actor: User, member: Member, requests: list[CorrectionRequest]) -> None:
    # A member has no `member.change` role: the policy table is the authority for these fields, and the
    # change log names the member who made the change.
    member_update(
        actor=actor,
        authorized_by_policy=True,
        member=member,
        data={request.field_name: python_value(request.field_name, request.new_value) for request in requests},
        reason=_change_log_reason(requests, note=_("applied at once, asked by %(name)s") % {"name": _name(actor)}),
        expected_version=member.version,
    )
    entry = _latest_change_log(member)
    now = timezone.now()
    for request in requests:
        request.state = RequestState.APPLIED
        request.decided_by = actor
        request.decided_at = now
        request.change_log = entry
        request.save(update_fields=["state", "decided_by", "decided_at", "change_log"])
        _event(request, EventKind.APPLIED_AT_ONCE, actor=actor, unit=member.unit)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def allowed_decisions(request: CorrectionRequest) -> list[str]:
    """The decisions the request's step allows (the forms offer only these; the service still checks)."""
    if request.state in DECIDED_STATES:
        return []
    allowed = []
    if request.state == RequestState.SUBMITTED and request.level == Level.CELL:
        allowed.append(Decision.CONFIRM)
    if (
        request.route == Route.COMMUNE_THEN_PROVINCE
        and request.level == Level.COMMUNE
        and request.state in (RequestState.SUBMITTED, RequestState.CONFIRMED)
    ):
        allowed.append(Decision.FORWARD)
    if request.level == DECIDING_LEVEL.get(request.route):
        allowed.append(Decision.APPROVE)
    allowed.append(Decision.REJECT)
    return allowed


_STATE_REFUSALS = {
    Decision.CONFIRM: lambda: _("Only a request waiting for its cell can be confirmed."),
    Decision.FORWARD: lambda: _(
        "Only a request on party history waiting for the commune committee can be forwarded to the province."
    ),
}


def _locked_request(request: CorrectionRequest) -> CorrectionRequest:
    # Lock the row alone, then read its relations: on PostgreSQL a locking query with joins re-checks the
    # join against the row another transaction just changed (a new queue unit) and would find nothing.
    locked = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    locked.member = _locked_member(locked.member_id)
    return locked


def _locked_member(pk: int) -> Member:
    member = Member.objects.select_for_update().get(pk=pk)
    member.unit = Unit.objects.get(pk=member.unit_id)
    return member


@transaction.atomic
def correction_request_decide(
    *, actor: User, request: CorrectionRequest, decision: str, reason: str = ""
) -> CorrectionRequest:
    """Confirm, forward, approve or reject a request. The request row is locked, so two officials
    acting at once are served one after the other: the second is told it is already decided."""
    request = _locked_request(request)
    if request.state in DECIDED_STATES:
        raise ValidationError(
            _("This request has already been decided: %(state)s.") % {"state": request.get_state_display()}
        )
    if not can_decide(actor, request):
        raise PermissionDenied(_("This request is not waiting for your unit."))
    reason = (reason or "").strip()
    if decision == Decision.CONFIRM:
        if not (request.state == RequestState.SUBMITTED and request.level == Level.CELL):
            raise ValidationError(_STATE_REFUSALS[Decision.CONFIRM]())
        request.state = RequestState.CONFIRMED
        _assign(request, Level.COMMUNE, deadline_days=_deadline_days(request.field_name))
        request.save()
        _event(request, EventKind.CONFIRMED, actor=actor, note=reason)
        return request
    if decision == Decision.FORWARD:
        if not (
            request.route == Route.COMMUNE_THEN_PROVINCE
            and request.level == Level.COMMUNE
            and request.state in (RequestState.SUBMITTED, RequestState.CONFIRMED)
        ):
            raise ValidationError(_STATE_REFUSALS[Decision.FORWARD]())
        request.state = RequestState.FORWARDED
        _assign(request, Level.PROVINCE, deadline_days=_deadline_days(request.field_name))
        request.save()
        _event(request, EventKind.FORWARDED, actor=actor, note=reason)
        return request
    if decision == Decision.REJECT:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for rejecting: the member will read it.")})
        return _finish(request, actor=actor, state=RequestState.REJECTED, kind=EventKind.REJECTED, reason=reason)
    if decision == Decision.APPROVE:
        return _approve(request, actor=actor, reason=reason)
    raise ValidationError({"decision": _("Unknown decision.")})


def _approve(request: CorrectionRequest, *, actor: User, reason: str) -> CorrectionRequest:
    deciding = DECIDING_LEVEL.get(request.route)
    if request.level != deciding:
        if request.level == Level.CELL:
            raise ValidationError(_("The cell must confirm this request before the commune committee decides."))
        raise ValidationError(_("This request is decided by the provincial organisation department: forward it."))
    member = request.member
    if request.is_transfer and request.state != RequestState.TRANSFER:
        # Leaving the commune is a transfer of party activity: it needs the receiving side too.
        request.state = RequestState.TRANSFER
        request.save(update_fields=["state"])
        _event(request, EventKind.TRANSFER, actor=actor, note=reason)
        return request
    if request.is_transfer:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, request.target_unit)
    seen = request.conflict_value if request.state == RequestState.CONFLICT else request.old_value
    now_value = current_value(member, request.field_name)
    if now_value != seen:
        request.state = RequestState.CONFLICT
        request.conflict_value = now_value
        request.save(update_fields=["state", "conflict_value"])
        _event(
            request,
            EventKind.CONFLICT,
            actor=actor,
            note=_("The record changed after the request was made: look at the current value and decide again."),
        )
        return request
    member_update(
        actor=actor,
        member=member,
        data={request.field_name: python_value(request.field_name, request.new_value)},
        reason=_change_log_reason([request], note=reason),
        expected_version=member.version,
    )
    request.change_log = _latest_change_log(member)
    return _finish(request, actor=actor, state=RequestState.APPLIED, kind=EventKind.APPROVED, reason=reason)


def _finish(request: CorrectionRequest, *, actor: User, state: str, kind: str, reason: str) -> CorrectionRequest:
    request.state = state
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save()
    _event(request, kind, actor=actor, note=reason)
    _notify_member_of_decision(request)
    return request


def _notify_member_of_decision(request: CorrectionRequest) -> None:
    """The member hears of the decision and its reason in their inbox, in Vietnamese, once per decision."""
    with translation.override(settings.LANGUAGE_CODE):
        field = Member._meta.get_field(request.field_name).verbose_name
        if request.state == RequestState.APPLIED:
            title = _("Your correction of “%(field)s” was approved") % {"field": field}
        else:
            title = _("Your correction of “%(field)s” was rejected") % {"field": field}
        message = Message(
            kind="correction_decided",
            title=title,
            body=request.decision_reason,
            url=reverse("corrections:my_record"),
            dedupe_key=f"correction:{request.pk}:{request.state}",
        )
    notify(recipients=User.objects.filter(member_id=request.member_id), message=message)


def correction_requests_decide_bulk(
    *, actor: User, requests: list[CorrectionRequest], decision: str, reason: str = ""
) -> dict:
    """One decision for many identical requests (same field, same requested value, same step).

    Each request is decided in its own transaction: a conflict or a refusal on one does not undo the rest.
    Returns how many ended in each state.
    """
    if not requests:
        raise ValidationError(_("Select the requests to decide."))
    shapes = {(request.field_name, json.dumps(request.new_value), request.state, request.level) for request in requests}
    if len(shapes) != 1:
        raise ValidationError(
            _(
                "A bulk decision is only for identical requests: the same field, value and step. Decide the others one by one."
            )
        )
    outcome: dict[str, int] = {}
    for request in requests:
        try:
            decided = correction_request_decide(actor=actor, request=request, decision=decision, reason=reason)
            outcome[decided.state] = outcome.get(decided.state, 0) + 1
        except ValidationError:
            outcome["refused"] = outcome.get("refused", 0) + 1
    return outcome


@transaction.atomic
def correction_requests_escalate(*, day=None) -> int:
    """Move every overdue open request to the queue of the unit above, with a new deadline.

    Idempotent: an escalated request is due again in the future, so a second run the same day finds nothing.
    """
    day = day or today()
    overdue = list(
        CorrectionRequest.objects.overdue(day)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("assigned_unit")
    )
    deadlines = {name: policy.deadline_working_days for name, policy in field_policies().items()}
    moved: set[int] = set()
    for request in overdue:
        above = escalation_unit(request.assigned_unit)
        if above is None:
            continue
        previous = request.assigned_unit
        request.assigned_unit = above
        request.escalation_count += 1
        request.due_on = add_working_days(day, deadlines.get(request.field_name, DEFAULT_DEADLINE_WORKING_DAYS))
        request.save(update_fields=["assigned_unit", "escalation_count", "due_on"])
        _event(
            request,
            EventKind.ESCALATED,
            unit=above,
            note=_("Overdue at %(unit)s.") % {"unit": previous.name},
        )
        moved.add(request.pk)
    for unit in {request.assigned_unit for request in overdue if request.pk in moved}:
        _tell_queue(unit, day=day)
    return len(moved)


__all__ = [
    "OPEN_STATES",
    "can_act_for_member",
    "can_decide",
    "correction_request_create",
    "correction_request_decide",
    "correction_requests_decide_bulk",
    "correction_requests_escalate",
    "record_verify",
]
