"""Every write to a member record: the web pages, the API, the importer and the commands all come here."""

import collections
import datetime
import decimal
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.context import current_context
from audit.models import ChangeLog
from audit.services import (
    build_change_log,
    bulk_change_log,
    bulk_creation_log,
    bulk_creation_log_in_database,
    change_log,
    creation_log,
    json_ready,
    snapshot,
)
from common.bulk import allocate_ids, bulk_insert
from common.collation import person_name_collation_key
from common.dates import today
from common.freshness import changed, member_token
from common.locks import locked, share_locked
from common.text import fold_for_search, normalize_name, normalize_phone
from orgunits.models import AdminArea, Unit
from rollout import counters as rollout_counters

from .choices import (
    CURRENT_STATUSES,
    IneligibilityReason,
    MemberReviewFlagKind,
    MemberStatus,
    RecordAccessKind,
    Standing,
)
from .fields import EDITABLE_FIELDS, PLACEMENT_FIELDS
from .models import ImportRow, Member, MemberReviewFlag, RecordAccess
from .validation import normalize_background_file_number, validate_member_record

_NAME_FIELDS = ("full_name", "birth_name")
# Unique columns store NULL, not "", so that many members may have none.
_NULLABLE_IDENTIFIERS = ("citizen_id", "card_number")
_SEARCH_NAME_LENGTH = Member._meta.get_field("search_name").max_length
_SORT_NAME_LENGTH = Member._meta.get_field("sort_name").max_length
_NOT_GIVEN = object()


def unstorable_text_message(text: str) -> str | None:
    """Why no database column can store `text` (a NUL byte, a lone surrogate), or None when it can."""
    if "\x00" in text:
        return _("Null characters are not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("This text has characters that cannot be stored.")
    return None


def member_field_value(field_name: str, value):
    """`value` as field `field_name` holds it, or ValidationError keyed by the field.

    Forms and schemas hand the services typed values. Anything else (a number for a name, text for a cell,
    something that is not a date, text with a NUL byte or a lone surrogate, which no database column can store)
    is refused here with a message, rather than failing later in a rule or in the database.
    """
    field = Member._meta.get_field(field_name)
    if value is None:
        # "" for optional text that is NOT NULL in the database; full_clean refuses None where a value is required.
        return "" if isinstance(field, models.CharField | models.TextField) and field.blank and not field.null else None
    if field.is_relation:
        if isinstance(value, field.related_model):
            return value
        raise ValidationError({field_name: _("Enter a valid value.")})
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise ValidationError({field_name: _("Enter a valid value.")})
        if problem := unstorable_text_message(value):
            raise ValidationError({field_name: problem})
        return value
    try:
        return field.to_python(value)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from error
    except (TypeError, ValueError, OverflowError, decimal.InvalidOperation) as error:
        raise ValidationError({field_name: _("Enter a valid value.")}) from error


def _normalized(data: dict) -> dict:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Not fields of a member record: %(fields)s.") % {"fields": ", ".join(sorted(map(str, unknown)))}
        )
    typed, errors = {}, {}
    for key, value in data.items():
        try:
            typed[key] = member_field_value(key, value)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    clean = {key: value.strip() if isinstance(value, str) else value for key, value in typed.items()}
    for field in _NAME_FIELDS:
        if field in clean:
            clean[field] = normalize_name(clean[field])
    for field in _NULLABLE_IDENTIFIERS:
        if field in clean:
            clean[field] = (clean[field] or "").replace(" ", "") or None
    if "phone" in clean:
        clean["phone"] = normalize_phone(clean["phone"])
    if "background_file_number" in clean:
        clean["background_file_number"] = normalize_background_file_number(clean["background_file_number"])
    return clean


def require_phone_free(*, phone: str, member: Member | None) -> None:
    """Refuse `phone` (canonical form) if a record or an account other than `member`'s already has it.

    A phone is a sign-in and activation identifier: on two records it would name no one, or the wrong one.
    Checked in the caller's transaction; no unique constraint, since records imported before this check may
    share a phone and must stay editable (only a change *to* a taken phone is refused).
    """
    if not phone:
        return
    if connection.vendor == "postgresql":
        # Two changes to the same new number wait for each other until commit, so both cannot pass the check
        # (SQLite already runs one writing transaction at a time).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"members.phone:{phone}"])
    taken_by_member = Member.objects.filter(phone=phone)
    taken_by_account = User.objects.filter(phone=phone)
    if member is not None:
        taken_by_member = taken_by_member.exclude(pk=member.pk)
        taken_by_account = taken_by_account.exclude(member_id=member.pk)
    if taken_by_member.exists() or taken_by_account.exists():
        raise _phone_taken()


def _phone_taken() -> ValidationError:
    return ValidationError(
        {
            "phone": _(
                "This phone number is already used by another member or account: a phone number signs in to "
                "one account only. Check the number, or ask the committee to correct the other record."
            )
        }
    )


def _apply_derived(member: Member, *, data: dict, status_changed: bool) -> None:
    # Folding can lengthen a name (one Hangul syllable folds to three letters); search needs only its start.
    member.search_name = fold_for_search(member.full_name)[:_SEARCH_NAME_LENGTH]
    # A name too long for the column is ordered by its start (the given name comes first); ties go by id.
    member.sort_name = person_name_collation_key(member.full_name)[:_SORT_NAME_LENGTH]
    if "standing" not in data and "official_on" in data:
        member.standing = Standing.OFFICIAL if member.official_on else Standing.PROBATIONARY
    # An exempt member is not expected to use the app unless whoever sets the status says otherwise.
    if status_changed and member.status == MemberStatus.EXEMPT and "is_eligible" not in data:
        member.is_eligible = False
        member.ineligibility_reason = IneligibilityReason.EXEMPT
    if member.is_eligible and "ineligibility_reason" not in data:
        member.ineligibility_reason = ""


def _locked_unit(unit_id: int) -> Unit:
    """The cell read afresh and locked, so it cannot be closed while a member is being placed in it."""
    return Unit.objects.select_for_update().get(pk=unit_id)


def _require_open_cell(unit: Unit) -> None:
    if not unit.is_open:
        raise ValidationError({"unit": _("“%(name)s” is closed: choose an open cell.") % {"name": unit.name}})


def _build(data: dict) -> Member:
    clean = _normalized(data)
    member = Member(**clean)
    _apply_derived(member, data=clean, status_changed=True)
    return member


@transaction.atomic
def member_create(*, actor: User, data: dict, reason: str = "") -> Member:
    member = _build(data)
    if member.unit_id is None:
        raise ValidationError({"unit": _("Choose the member's cell.")})
    member.unit = _locked_unit(member.unit_id)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    _require_open_cell(member.unit)
    member.full_clean()
    member.save()
    creation_log(actor=actor, obj=member, reason=reason, unit=member.unit)
    rollout_counters.members_added([member])
    return member


def _open_problem_fields(member: Member) -> set[str]:
    return set(
        MemberReviewFlag.objects.filter(
            member=member, kind=MemberReviewFlagKind.IMPORT_PROBLEM, resolved_at__isnull=True
        ).values_list("field", flat=True)
    )


def record_rule_problems(member, *, as_of: datetime.date | None = None) -> dict[str, list[str]]:
    """The record rules (`validate_member_record`) `member` (or a new member's record) breaks, by field."""
    try:
        validate_member_record(member, as_of=as_of)
    except ValidationError as error:
        return error.message_dict
    return {}


def _full_clean_tolerating(member: Member, *, exclude: list[str], tolerated: set[str]) -> None:
    """`member.full_clean`, less the record-rule messages on the `tolerated` fields (value checks, uniqueness and
    the rules of every other field still refuse)."""
    try:
        member.full_clean(exclude=exclude)
    except ValidationError as error:
        _raise_untolerated(error, member, tolerated)


def _raise_untolerated(error: ValidationError, member, tolerated: set[str]) -> None:
    """Raise `error` (a whole record's check) less the record-rule messages on the `tolerated` fields, if anything
    is left."""
    if not tolerated:
        raise error
    rules = record_rule_problems(member)
    left = {}
    for field, messages in error.message_dict.items():
        allowed = set(rules.get(field, [])) if field in tolerated else set()
        if kept := [message for message in messages if message not in allowed]:
            left[field] = kept
    if left:
        raise ValidationError(left) from error


def _resolve_corrected_problems(member, flagged: set[str]) -> None:
    corrected = flagged - set(record_rule_problems(member))
    if corrected:
        MemberReviewFlag.objects.filter(
            member_id=member.pk, kind=MemberReviewFlagKind.IMPORT_PROBLEM, field__in=corrected, resolved_at__isnull=True
        ).update(resolved_at=timezone.now())


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: Member,
    data: dict,
    reason: str = "",
    expected_version: int | None = None,
    authorized_by_policy: bool = False,
    recorded_problems: frozenset[str] = frozenset(),
) -> Member:
    """Change a member's record. With `expected_version`, an edit made on a stale copy is refused.

    `authorized_by_policy`: the caller has already decided that `actor` may make this change without the
    `member.change` permission (the corrections policy lets members fix some fields of their own record);
    the change log still names the actor.

    `recorded_problems`: fields whose record rules (`validate_member_record`) the caller records as problems
    instead of refusing the change (a roster import keeps the member and flags the value, IMPORT_PROBLEM).
    Whatever the caller, a field already flagged so and left as it is does not block an edit of other fields;
    every value an edit writes is checked in full, and a flag whose field passes the rules is resolved.
    """
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if not authorized_by_policy:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if expected_version is not None and member.version != expected_version:
        raise ValidationError(
            _("Someone else changed this record while you were editing it. Reload it and make your change again.")
        )
    clean = _normalized(data)
    before = snapshot(member)
    old_unit_id, old_status, old_area_id = member.unit_id, member.status, member.residence_area_id
    old_phone = member.phone
    old_unit, old_is_eligible = member.unit, member.is_eligible
    flagged = _open_problem_fields(member)
    tolerated = set(recorded_problems) | {
        field for field in flagged if field not in clean or clean[field] == getattr(member, field)
    }
    for field, value in clean.items():
        setattr(member, field, value)
    if member.unit_id is None:
        raise ValidationError({"unit": _("Choose the member's cell.")})
    if member.phone != old_phone:
        require_phone_free(member=member, phone=member.phone)
    if member.unit_id != old_unit_id:
        member.unit = _locked_unit(member.unit_id)
        require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
        _require_open_cell(member.unit)
    _apply_derived(member, data=clean, status_changed=member.status != old_status)
    # A key left as it was still names its row (the cell was just read and locked; the area is held by its
    # constraint): not looked up again, one query each on every change.
    unchanged_keys = [
        name
        for name, unchanged in (
            ("unit", member.unit_id == old_unit_id),
            ("residence_area", member.residence_area_id == old_area_id),
        )
        if unchanged
    ]
    _full_clean_tolerating(member, exclude=unchanged_keys, tolerated=tolerated)
    if flagged:
        _resolve_corrected_problems(member, flagged)
    after = snapshot(member)
    if after == before:
        return member
    member.version += 1
    member.updated_at = timezone.now()
    member.save()
    action = ChangeAction.STATUS if member.status != old_status else ChangeAction.UPDATE
    change_log(
        actor=actor, obj=member, action=action, before=before, after=snapshot(member), reason=reason, unit=member.unit
    )
    rollout_counters.member_changed(
        member=member, old_unit=old_unit, old_status=old_status, old_is_eligible=old_is_eligible
    )
    changed(member_token(member.pk))
    return member


_DERIVED_ON_UPDATE = (
    "search_name",
    "sort_name",
    "standing",
    "is_eligible",
    "ineligibility_reason",
    "version",
    "updated_at",
)
_UNIQUE_IDENTIFIERS = ("citizen_id", "card_number")


def _rows_with_values(model, field_name: str, values: list, columns: tuple[str, ...], **where) -> list[tuple]:
    """`columns` of the rows of `model` whose `field_name` holds one of `values`, and that match `where` (plain
    equalities, or `… IS NULL` for None). PostgreSQL takes the values as one array parameter: for thousands of them
    Django's `__in` has the driver split a query of as many placeholders in Python."""
    if connection.vendor != "postgresql":
        return list(model.objects.filter(**{f"{field_name}__in": values}, **where).values_list(*columns))
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(model._meta.get_field(name).column)

    conditions, params = [f"{column(field_name)} = ANY(%s)"], [values]
    for name, value in where.items():
        if value is None:
            conditions.append(f"{column(name)} IS NULL")
        else:
            conditions.append(f"{column(name)} = %s")
            params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(column, columns))} FROM {quote(model._meta.db_table)}"
            f" WHERE {' AND '.join(conditions)}",
            params,
        )
        return cursor.fetchall()


def _require_phones_free(changes: list) -> None:
    """`require_phone_free` for every member in `changes` ((member, phone) pairs) with three queries."""
    phones = sorted({phone for _member, phone in changes if phone})
    if not phones:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('members.phone:' || phone))"
                " FROM unnest(%s::text[]) AS phone ORDER BY phone",
                [phones],
            )
    owners = collections.defaultdict(set)
    for phone, pk in _rows_with_values(Member, "phone", phones, ("phone", "id")):
        owners[phone].add(("member", pk))
    for phone, member_id in _rows_with_values(User, "phone", phones, ("phone", "member")):
        owners[phone].add(("account", member_id))
    for member, phone in changes:
        if not phone:
            continue
        others = owners[phone] - {("member", member.pk), ("account", member.pk)}
        if others:
            raise _phone_taken()
        # Two members of the batch given the same new number: the second finds the first, as one by one.
        owners[phone].add(("member", member.pk))


def _require_identifiers_free(members: list, fields: dict) -> None:
    """The unique check of `full_clean` for the identifiers that changed, one query per field for the batch."""
    for field in _UNIQUE_IDENTIFIERS:
        changed_members = [member for member in members if field in fields[member.pk]]
        values = {getattr(member, field) for member in changed_members} - {None}
        if not values:
            continue
        owners = dict(_rows_with_values(Member, field, sorted(values), (field, "id")))
        for member in changed_members:
            value = getattr(member, field)
            if value is not None and owners.setdefault(value, member.pk) != member.pk:
                message = Member._meta.get_field(field).error_messages["unique"]
                raise ValidationError({field: message})


def members_locked_records(ids) -> dict:
    """The members with these ids, locked (`SELECT … FOR UPDATE`, in id order, as `common.locks.locked`), as
    records by id: each member's values as attributes, with its cell (`unit`) and residence area, without a model
    instance each (an import reads and changes thousands). `members_bulk_update` takes them as `already_locked`.
    The timestamps are not read (decoding them costs more than the rest of a row): `created_at` is never changed
    here, and `updated_at` is set anew on every member that changes."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        key = quote(Member._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(quote(field.column) for field in _LOCKED_FIELDS)} FROM {quote(Member._meta.db_table)}"
                f" WHERE {key} = ANY(%s) ORDER BY {key} FOR UPDATE",
                [ids],
            )
            rows = cursor.fetchall()
    else:
        rows = Member.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list(*_LOCKED_ATTNAMES)
    records = [_Record(dict(zip(_LOCKED_ATTNAMES, row, strict=True))) for row in rows]
    units = Unit.objects.in_bulk({record.unit_id for record in records})
    areas = AdminArea.objects.in_bulk({record.residence_area_id for record in records} - {None})
    for record in records:
        record.unit = units[record.unit_id]
        record.residence_area = areas[record.residence_area_id] if record.residence_area_id is not None else None
    return {record.pk: record for record in records}


def _set_values(record: "_Record", clean: dict) -> None:
    """Set `clean` (field name → value) on `record` as on a `Member`: a relation sets its id too."""
    values = record.values
    for key, value in clean.items():
        if key in _RELATION_ATTNAMES:
            values[_RELATION_ATTNAMES[key]] = value.pk if value is not None else None
        values[key] = value


def _clean_values(values: dict, fields, *, known_valid: dict | None = None) -> dict:
    """Django's `clean_fields` on a record's values, without a model instance: each of `fields` cleaned in place,
    the errors by field name. A blank field left empty is not checked (as in `clean_fields`), nor one still holding
    the very object `known_valid` gives for it (a default known to pass)."""
    errors = {}
    known_valid = known_valid or {}
    for field in fields:
        raw = values[field.attname]
        if (field.blank and raw in field.empty_values) or raw is known_valid.get(field.attname, _NOT_GIVEN):
            continue
        try:
            values[field.attname] = field.clean(raw, None)
        except ValidationError as error:
            errors[field.name] = error.error_list
    return errors


def _check_changed_record(record: "_Record", *, changed: set[str], tolerated: set[str], as_of: datetime.date) -> None:
    """Raise what `_full_clean_tolerating(member, exclude=<every field not in changed>, tolerated=tolerated)` raises
    for a member holding `record`, without its uniqueness check (the batch's identifiers are checked together):
    each changed field's own checks (`clean_fields`, the values cleaned in place), then the record rules on the
    whole record (`Member.clean`, which is `validate_member_record`)."""
    errors = _clean_values(record.values, (field for field in _FIELDS if field.attname in changed))
    try:
        validate_member_record(record, as_of=as_of)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        _raise_untolerated(ValidationError(errors), record, tolerated)


def _open_problem_fields_of(member_ids: list[int]) -> dict[int, set[str]]:
    flagged = collections.defaultdict(set)
    for member_id, field in _rows_with_values(
        MemberReviewFlag,
        "member",
        member_ids,
        ("member", "field"),
        kind=MemberReviewFlagKind.IMPORT_PROBLEM,
        resolved_at=None,
    ):
        flagged[member_id].add(field)
    return flagged


def members_bulk_update(
    *,
    actor: User,
    changes: list[tuple[int, dict]],
    reason: str = "",
    recorded_problems: dict[int, frozenset[str]] | None = None,
    already_locked: dict | None = None,
) -> list:
    """`member_update` for many members in the caller's transaction: the same checks, record and change log per
    member, with the reads, writes and log rows done per batch rather than per member, and each member read as
    plain values (`members_locked_records`), not as a model instance.

    `changes`: (member id, data) pairs, one per member. `recorded_problems`: member id → the fields whose record
    rules are recorded as problems instead of refusing (as `member_update`'s). `already_locked`: the records of the
    members the caller has read already in this transaction with `members_locked_records` (an import compares them
    with its preview first), spared a second read. Returns the records of the members that changed (`pk` and the
    fields as attributes)."""
    wanted = [pk for pk, _data in changes]
    if already_locked is not None and all(pk in already_locked for pk in wanted):
        by_id = {pk: already_locked[pk] for pk in sorted(wanted)}
    else:
        by_id = members_locked_records(wanted)
    allowed = set()
    for record in by_id.values():
        if record.unit_id not in allowed:
            require_unit_permission(actor, Permission.MEMBER_CHANGE, record.unit)
            allowed.add(record.unit_id)
    cleaned = [(by_id[pk], _normalized(data)) for pk, data in changes]
    new_unit_ids = {
        clean["unit"].pk if isinstance(clean["unit"], Unit) else clean["unit"]
        for _record, clean in cleaned
        if "unit" in clean and clean["unit"] is not None
    }
    new_units = locked(Unit, new_unit_ids - allowed)
    opened = set()
    states, fields, phones = [], {}, []
    flagged_by_member = _open_problem_fields_of(list(by_id))
    recorded_problems = recorded_problems or {}
    as_of = today()
    for record, clean in cleaned:
        values = record.values
        original = dict(values)
        old = (record.unit, values["status"], values["is_eligible"])
        old_unit_id, old_phone = values["unit_id"], values["phone"]
        flagged = flagged_by_member.get(record.pk, set())
        tolerated = set(recorded_problems.get(record.pk, ())) | {
            field for field in flagged if field not in clean or clean[field] == getattr(record, field)
        }
        _set_values(record, clean)
        if values["unit_id"] is None:
            raise ValidationError({"unit": _("Choose the member's cell.")})
        if values["phone"] != old_phone:
            phones.append((record, values["phone"]))
        if values["unit_id"] != old_unit_id:
            record.unit = new_units.get(values["unit_id"]) or _locked_unit(values["unit_id"])
            if values["unit_id"] not in opened:
                require_unit_permission(actor, Permission.MEMBER_CHANGE, record.unit)
                _require_open_cell(record.unit)
                opened.add(values["unit_id"])
        _apply_derived(record, data=clean, status_changed=values["status"] != old[1])
        # Only the fields given and those derived from them can have changed: the others keep the stored values.
        changed_names = {
            name
            for name in {_RELATION_ATTNAMES.get(key, key) for key in clean}.union(_DERIVED_LOGGED)
            if name in _LOGGED_SET and json_ready(values[name]) != json_ready(original[name])
        }
        if changed_names:
            # The record rules see the whole record; the fields' own checks run on the values that change: the
            # others are the stored record's, and the batch's identifiers are checked together below.
            _check_changed_record(record, changed=changed_names, tolerated=tolerated, as_of=as_of)
        if flagged:
            _resolve_corrected_problems(record, flagged)
        if not changed_names:
            continue
        fields[record.pk] = changed_names
        states.append((record, original, old))
    _require_phones_free(phones)
    records = [record for record, _original, _old in states]
    _require_identifiers_free(records, fields)
    if not states:
        return []
    now = timezone.now()
    for record in records:
        record.version += 1
        record.updated_at = now
    names = {Member._meta.get_field(name).name for changed_fields in fields.values() for name in changed_fields}
    _update_members(records, sorted(names | set(_DERIVED_ON_UPDATE)))

    def entries():
        for record, original, (_old_unit, old_status, _old_is_eligible) in states:
            # The snapshots `snapshot` would take of the member before and after: only the changed fields differ.
            before = {name: json_ready(original[name]) for name in _LOGGED_ATTNAMES}
            after = {**before, **{name: json_ready(record.values[name]) for name in fields[record.pk]}}
            after["version"] = record.version
            action = ChangeAction.STATUS if record.status != old_status else ChangeAction.UPDATE
            yield record, action, before, after, record.unit_id

    # Made as they are written: the database stores one member's log row while the next one is made.
    bulk_change_log(actor=actor, model=Member, entries=entries(), reason=reason)
    rollout_counters.members_changed((record, *old) for record, _original, old in states)
    changed(*(member_token(record.pk) for record in records))
    return records


_BULK_UPDATE_BATCH = 1000


def _update_members(records: list, names: list[str]) -> None:
    """Write these fields of `records`: on PostgreSQL by COPY into a temporary table and one `UPDATE … FROM` (Django's
    `bulk_update` builds a CASE per field, slow to build and to run at this size); elsewhere `bulk_update`."""
    if connection.vendor != "postgresql":
        members = [
            Member(**{name: record.values[name] for name in (*_LOCKED_ATTNAMES, "updated_at")}) for record in records
        ]
        Member.objects.bulk_update(members, names, batch_size=_BULK_UPDATE_BATCH)
        return
    fields = [Member._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(Member._meta.db_table)
    columns = [quote(field.column) for field in fields]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns)
    converters = [
        (lambda value, encoder=field.encoder: None if value is None else json.dumps(value, cls=encoder))
        if isinstance(field, models.JSONField)
        else None
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE member_changes AS SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY member_changes (id, {', '.join(columns)}) FROM STDIN") as copy:
            for record in records:
                values = [getattr(record, field.attname) for field in fields]
                copy.write_row(
                    [
                        record.pk,
                        *(
                            value if convert is None else convert(value)
                            for value, convert in zip(values, converters, strict=True)
                        ),
                    ]
                )
        cursor.execute(f"UPDATE {table} AS m SET {assignments} FROM member_changes AS v WHERE m.id = v.id")
        cursor.execute("DROP TABLE member_changes")


@transaction.atomic
def members_move_to_cell(*, actor: User, from_unit: Unit, to_unit: Unit, reason: str) -> int:
    """Move every current member of one cell to another (a merge). Past members stay in their own register."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, from_unit)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, to_unit)
    if not to_unit.is_cell:
        raise ValidationError({"unit": _("The place of party activity must be a cell.")})
    to_unit = _locked_unit(to_unit.pk)
    _require_open_cell(to_unit)
    members = list(Member.objects.select_for_update().filter(unit=from_unit, status__in=CURRENT_STATUSES))
    now = timezone.now()
    entries = []
    for member in members:
        before = snapshot(member)
        member.unit = to_unit
        member.version += 1
        member.updated_at = now
        entries.append(
            build_change_log(
                actor=actor,
                obj=member,
                action=ChangeAction.UPDATE,
                before=before,
                after=snapshot(member),
                reason=reason,
                unit=to_unit,
            )
        )
    Member.objects.bulk_update(members, ["unit", "version", "updated_at"], batch_size=500)
    ChangeLog.objects.bulk_create(entries, batch_size=500)
    rollout_counters.members_moved(members=members, from_unit=from_unit, to_unit=to_unit)
    changed(*(member_token(member.pk) for member in members))
    return len(members)


class _Record:
    """A member's values (a new member's, or a stored member's read by `members_locked_records`) read and set as
    attributes, with the cell and the area: the rules written for a `Member` (derived fields,
    `validate_member_record`, the rollout counters) apply to it unchanged, without building the instance. The
    values dict is the record's own `__dict__`, so that each read is a plain attribute read."""

    def __init__(self, values: dict):
        values.setdefault("unit", None)
        values.setdefault("residence_area", None)
        self.__dict__ = values

    @property
    def values(self) -> dict:
        return self.__dict__

    @property
    def pk(self):
        return self.__dict__["id"]

    def __str__(self) -> str:
        return self.full_name


_FIELDS = Member._meta.concrete_fields
_ATTNAMES = tuple(field.attname for field in _FIELDS)
_RELATION_ATTNAMES = {field.name: field.attname for field in _FIELDS if field.is_relation}
# What `members_locked_records` reads of a member.
_LOCKED_FIELDS = tuple(field for field in _FIELDS if field.attname not in ("created_at", "updated_at"))
_LOCKED_ATTNAMES = tuple(field.attname for field in _LOCKED_FIELDS)
# What the change log holds of a member (`audit.services.snapshot`), and the logged fields `_apply_derived` sets.
_LOGGED_ATTNAMES = tuple(name for name in _ATTNAMES if Member._meta.get_field(name).name not in Member.AUDIT_EXCLUDE)
_LOGGED_SET = frozenset(_LOGGED_ATTNAMES)
_DERIVED_LOGGED = ("standing", "is_eligible", "ineligibility_reason")
# What `Member.clean_fields` checks, less the two relations: the callers look the cell and the area up themselves.
_CHECKED_FIELDS = tuple(field for field in _FIELDS if not field.is_relation)
_STATIC_DEFAULTS = {field.attname: field.get_default() for field in _FIELDS if not callable(field.default)}
_CALLED_DEFAULTS = tuple(field for field in _FIELDS if callable(field.default))


def _default_passes(field) -> bool:
    try:
        field.clean(field.get_default(), None)
    except ValidationError:
        return False
    return True


# A field still holding its own (valid) default object needs no check: the same value passes the same rules.
_VALID_DEFAULTS = {
    field.attname: _STATIC_DEFAULTS[field.attname]
    for field in _CHECKED_FIELDS
    if field.attname in _STATIC_DEFAULTS and _default_passes(field)
}


def new_member_defaults() -> dict:
    """Every field's default: the callable ones (created_at, updated_at) called once for all the rows made
    together. All are immutable, so the rows share them."""
    return {**_STATIC_DEFAULTS, **{field.attname: field.get_default() for field in _CALLED_DEFAULTS}}


def _new_record(data: dict, defaults: dict) -> _Record:
    clean = _normalized(data)
    values = dict(defaults)
    record = _Record(values)
    for key, value in clean.items():
        if key in _RELATION_ATTNAMES:
            setattr(record, key, value)
            values[_RELATION_ATTNAMES[key]] = value.pk if value is not None else None
        else:
            values[key] = value
    _apply_derived(record, data=clean, status_changed=True)
    return record


def _check_record(
    record: _Record, *, as_of: datetime.date, tolerated: frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    """Raise what `Member.full_clean(exclude=["unit", "residence_area"], validate_unique=False)` raises for a
    member holding `record` (Django's `clean_fields`, then the model's `clean`, which is `validate_member_record`),
    with the values cleaned in place as `clean_fields` cleans them. An import checks a hundred thousand records:
    an instance each costs more than the checks. The record-rule messages on the `tolerated` fields are returned
    instead."""
    errors, kept = _clean_values(record.values, _CHECKED_FIELDS, known_valid=_VALID_DEFAULTS), {}
    try:
        validate_member_record(record, as_of=as_of)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field in tolerated:
                kept[field] = messages
            else:
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return kept


# A record rule on these places the member; one they break keeps the member out (the row waits), never recorded.
_RECORDABLE = frozenset(EDITABLE_FIELDS - set(PLACEMENT_FIELDS))


def new_member_record_with_problems(
    data: dict, *, as_of: datetime.date | None = None, defaults: dict | None = None
) -> tuple[dict, dict[str, list[str]], dict[str, list[str]]]:
    """As `new_member_record`, without raising: (record, blocking, recorded), the last two messages by field.

    Blocking: what the registry cannot hold (a value of the wrong type or size, a required value missing) or
    place (a cell that is not a cell). Recorded: the record rules it breaks (`validate_member_record`: a
    citizen ID that fails its check, dates out of order, joining before 18…), which an import keeps and flags."""
    record = _new_record(data, defaults or new_member_defaults())
    try:
        return record.values, {}, _check_record(record, as_of=as_of or today(), tolerated=_RECORDABLE)
    except ValidationError as error:
        # The rules are read again only for a row that has a blocking problem too (all of a row's problems shown).
        recorded = {
            field: messages
            for field, messages in record_rule_problems(record, as_of=as_of).items()
            if field not in PLACEMENT_FIELDS
        }
        blocking = {
            field: [message for message in messages if message not in recorded.get(field, [])]
            for field, messages in error.message_dict.items()
        }
        return record.values, {field: messages for field, messages in blocking.items() if messages}, recorded


def new_member_record(data: dict, *, as_of: datetime.date | None = None, defaults: dict | None = None) -> dict:
    """The record (attname → value, and the `unit` and `residence_area` themselves) that `members_bulk_create`
    would write for `data`, normalised and with its defaults and derived fields, or ValidationError keyed by
    field. Writes nothing: the import's preview.

    A caller checking many rows reads these once: `as_of`, the day the dates are checked against (today), and
    `defaults`, from `new_member_defaults()`."""
    record = _new_record(data, defaults or new_member_defaults())
    _check_record(record, as_of=as_of or today())
    return record.values


# Set when the member is written: the id, and the defaults called each time (the timestamps).
_SET_ON_WRITING = {"id"} | {field.attname for field in _FIELDS if field.has_default() and callable(field.default)}
# A stored record leaves out what it shares with every new member, its constant defaults, put back on writing.
_CONSTANT_DEFAULTS = {name: value for name, value in new_member_defaults().items() if name not in _SET_ON_WRITING}
_CONSTANT_DEFAULTS_JSON = {name: json_ready(value) for name, value in _CONSTANT_DEFAULTS.items()}


def _defaults_on_writing() -> dict:
    """Every value a stored record leaves out, as `jsonb_populate_record` reads them (timestamps in full)."""
    called = {
        name: value.isoformat() if isinstance(value, datetime.datetime) else json_ready(value)
        for name, value in new_member_defaults().items()
        if name in _SET_ON_WRITING and name != "id"
    }
    return {**_CONSTANT_DEFAULTS_JSON, **called}


def stored_new_record(record: dict) -> str:
    """`record` from `new_member_record`, as the JSON text that `members_create_from_import_rows` writes: the
    values as the change log holds them, less those equal to their defaults (the timestamps and the id are set
    on writing)."""
    return json.dumps(
        {name: json_ready(record[name]) for name, default in _CONSTANT_DEFAULTS.items() if record[name] != default}
    )


def _locked_open_cells(actor: User, unit_ids: set, *, shared: bool = False) -> dict:
    """The cells of a batch, locked (none closes while members join it) and each open and in `actor`'s scope.
    `shared`: in share mode, so that other batches may add members to the same cells at the same time."""
    units = (share_locked if shared else locked)(Unit, unit_ids - {None})
    for unit in units.values():
        require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
        _require_open_cell(unit)
    if len(units) != len(unit_ids):
        raise ValidationError({"unit": _("Choose the member's cell.")})
    return units


@transaction.atomic
def members_create_from_import_rows(
    *, actor: User, row_ids: list[int], reason: str, wait_turn: Callable[[], None] | None = None
) -> list[int]:
    """PostgreSQL only: create a member for each of these import rows from the record its preview checked with
    `new_member_record` and stored (`ImportRow.new_record`, by `stored_new_record`) today, inside the database:
    a hundred thousand rows are not read back into Python to be written out again. As `members_bulk_create`
    with `checked_on` today: the cells are locked (in share mode) and checked again, uniqueness is left to the
    constraints, and each member gets its creation-log row and joins the rollout figures. Returns the new
    members' ids, in the order of `row_ids`.

    `wait_turn`, called after the members and their log are written and before the rollout figures, which every
    batch changes: a caller writing several batches at once on several connections waits there for the batch
    before to commit, so that the batches write side by side and commit in order."""
    if not row_ids:
        return []
    quote = connection.ops.quote_name
    rows_table, members_table = quote(ImportRow._meta.db_table), quote(Member._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(new_record), array_agg(DISTINCT (new_record->>'unit_id')::bigint)"
            f" FROM {rows_table} WHERE id = ANY(%s)",
            [row_ids],
        )
        found, stored, unit_ids = cursor.fetchone()
    if found != len(row_ids) or stored != found:
        raise ValueError("Every row must be an import row with its checked record stored.")
    units = _locked_open_cells(actor, set(unit_ids), shared=True)
    member_ids = allocate_ids(Member, len(row_ids))
    defaults = json.dumps(_defaults_on_writing())
    with connection.cursor() as cursor:
        # Each stored record fills in a row of the defaults, made once (OFFSET 0 keeps it from being inlined into
        # each row). The row type's columns come in the table's order, as INSERT without a column list takes
        # them; in a lateral join, not as `(f(...)).*`, which would call the function again for each column.
        # What the rollout figures need of the new members comes back counted, not a row per member.
        cursor.execute(
            f"WITH created AS (INSERT INTO {members_table} SELECT p.*"
            f" FROM (SELECT jsonb_populate_record(NULL::{members_table}, %s::jsonb) AS base OFFSET 0) d"
            f" CROSS JOIN unnest(%s::bigint[], %s::bigint[]) AS m(row_id, member_id)"
            f" JOIN {rows_table} r ON r.id = m.row_id"
            f" CROSS JOIN LATERAL jsonb_populate_record(d.base, r.new_record || jsonb_build_object('id', m.member_id)) p"
            f" RETURNING unit_id, status, is_eligible)"
            f" SELECT unit_id, status, is_eligible, count(*) FROM created GROUP BY unit_id, status, is_eligible",
            [defaults, row_ids, member_ids],
        )
        counted = [
            (units[unit_id], status, is_eligible, count) for unit_id, status, is_eligible, count in cursor.fetchall()
        ]
    bulk_creation_log_in_database(
        actor=actor, model=Member, ids=member_ids, reason=reason, repr_column="full_name", unit_column="unit_id"
    )
    if wait_turn is not None:
        wait_turn()
    rollout_counters.members_added_counted(counted)
    return member_ids


@transaction.atomic
def members_bulk_create(
    *,
    actor: User,
    rows: list[dict],
    reason: str,
    checked_on: datetime.date | None = None,
    recorded_problems: list[frozenset[str]] | None = None,
) -> list[Member]:
    """Create many members in one transaction (demo data, imports). Same rules as `member_create`.

    Uniqueness is left to the database constraints, which fail the whole batch on a duplicate.

    `checked_on`: the day `new_member_record` accepted every one of `rows` as they are (an import's preview).
    On that same day the records are not checked again; the cells still are (open, and in `actor`'s scope).
    `recorded_problems`: per row, the fields whose record rules the caller records instead of refusing (see
    `member_update`).
    """
    defaults, as_of = new_member_defaults(), today()
    checked = checked_on == as_of
    records = [_new_record(row, defaults) for row in rows]
    units = _locked_open_cells(actor, {record.values["unit_id"] for record in records})
    area_ids = {record.values["residence_area_id"] for record in records} - {None}
    areas = {area.pk: area for area in AdminArea.objects.filter(pk__in=area_ids)}
    members = []
    for index, record in enumerate(records):
        # Unit and area were fetched above for the whole batch: no per-row existence queries.
        record.unit = units[record.values["unit_id"]]
        record.residence_area = (
            areas[record.values["residence_area_id"]] if record.values["residence_area_id"] else None
        )
        if not checked:
            _check_record(record, as_of=as_of, tolerated=recorded_problems[index] if recorded_problems else frozenset())
        member = Member(*(record.values[name] for name in _ATTNAMES))
        member.unit = record.unit
        member.residence_area = record.residence_area
        members.append(member)
    created = bulk_insert(Member, members)
    bulk_creation_log(actor=actor, objects=created, reason=reason, unit_of=lambda member: member.unit_id)
    rollout_counters.members_added(created)
    return created


def record_access_log(*, actor: User, member: Member, kind: str = RecordAccessKind.RECORD) -> RecordAccess | None:
    """Note that `actor` opened `member`'s full record, or revealed their phone (`kind`); the unit's access log
    shows it. A member reading their own record is not noted: the log is for who looks at other people's data."""
    if actor.member_id == member.pk:
        return None
    context = current_context()
    return RecordAccess.objects.create(
        actor=actor,
        member=member,
        kind=kind,
        unit_id=member.unit_id,
        source=context.source,
        ip_address=context.ip_address,
    )
