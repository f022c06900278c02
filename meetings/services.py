"""Writes of the meetings app. Every change goes through here: the pages, the API and the tasks call the same functions.

Scheduling, invitations, materials, attendance marking, excuses and minutes need MEETING_MANAGE on the
meeting's cell. Replying and checking in are the member's own acts: they need a signed-in member expected
at the meeting.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_create, model_update, snapshot
from common.freshness import changed, unit_token
from common.queueing import enqueue_on_commit
from members.models import Member
from notifications.services import Message, notify
from orgunits.models import Unit

from . import recurrence, selectors, tokens
from .choices import CheckInMethod, ExcuseDecision, MeetingKind, PassingRule, Presence, Reply, VoteChoice, VoteMethod
from .models import (
    AbsenceFlag,
    AgendaComment,
    Attendance,
    BallotTally,
    Material,
    Meeting,
    MeetingSeries,
    Vote,
    VoteCast,
)

# Materials and minutes files: PDF only, checked by content, and no larger than this.
FILE_MAX_BYTES = getattr(settings, "MEETINGS_FILE_MAX_BYTES", 10 * 1024 * 1024)
# How many months ahead a series is turned into meetings (the current month and the next ones).
MONTHS_AHEAD = 2


def _require_manage(actor: User, unit: Unit) -> None:
    require_unit_permission(actor, Permission.MEETING_MANAGE, unit)


def _check_meeting_unit(unit: Unit) -> None:
    if unit.kind not in selectors.MEETING_UNIT_KINDS:
        raise ValidationError({"unit": _("Meetings are held by cells and grassroots committees.")})
    if not unit.is_open:
        raise ValidationError({"unit": _("This unit is closed.")})


def _invited_users(meeting: Meeting):
    """The accounts of the members expected at the meeting (its attendance rows)."""
    return User.objects.filter(member__in=meeting.attendances.values("member_id"), is_active=True)


def _require_not_cancelled(meeting: Meeting, field: str | None = None) -> None:
    if meeting.cancelled_at is not None:
        message = _("This meeting was cancelled.")
        raise ValidationError({field: message} if field else message)


# Meetings are planned months ahead, not years: a date further off is a typing mistake.
FURTHEST_AHEAD = datetime.timedelta(days=3 * 366)


def _ends_at(starts_at: datetime.datetime, duration_minutes: int) -> datetime.datetime:
    if starts_at - timezone.now() > FURTHEST_AHEAD:
        raise ValidationError({"starts_at": _("A meeting can be scheduled at most three years ahead.")})
    if not 15 <= duration_minutes <= 12 * 60:
        raise ValidationError({"duration_minutes": _("A meeting lasts between 15 minutes and 12 hours.")})
    return starts_at + datetime.timedelta(minutes=duration_minutes)


def _vietnamese(function, *args, **kwargs):
    """Notification texts are stored as written: write them in the recipients' language."""
    with translation.override(settings.LANGUAGE_CODE):
        return function(*args, **kwargs)


# ------------------------------------------------------------------ scheduling


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    unit: Unit,
    topic: str,
    place: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 120,
    kind: str = MeetingKind.THEMATIC,
    agenda: str = "",
) -> Meeting:
    """Schedule one meeting (a thematic one, or a regular one outside any series)."""
    _require_manage(actor, unit)
    _check_meeting_unit(unit)
    meeting = Meeting(
        unit=unit,
        kind=kind,
        topic=topic.strip(),
        agenda=agenda.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=_ends_at(starts_at, duration_minutes or 120),
        created_by=actor,
    )
    model_create(meeting, actor=actor, unit=unit)
    changed(unit_token(unit.path))  # the members' homes show the cell's next meeting
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, reason: str = "", **data) -> Meeting:
    """Change the topic, agenda, place or time of a meeting that is not over."""
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_not_cancelled(meeting)
    if meeting.minutes_recorded_at:
        raise ValidationError(_("The minutes are recorded: the meeting can no longer be changed."))
    duration = data.pop("duration_minutes", None) or int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    changes = {
        field: value.strip() if isinstance(value, str) else value
        for field, value in data.items()
        if field in ("topic", "agenda", "place", "starts_at", "kind")
    }
    changes["ends_at"] = _ends_at(changes.get("starts_at", meeting.starts_at), duration)
    model_update(meeting, data=changes, actor=actor, reason=reason, unit=meeting.unit)
    changed(unit_token(meeting.unit.path))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Call off a meeting that has not started. It stays in the list, marked, with the reason; members who were
    invited are told. A cancelled meeting of a series is not generated again."""
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled: the members will read it.")})
    _require_not_cancelled(meeting)
    if meeting.has_started():
        raise ValidationError(_("The meeting has started: it can no longer be cancelled."))
    model_update(
        meeting,
        data={"cancelled_at": timezone.now(), "cancel_reason": reason[:500]},
        actor=actor,
        reason=reason,
        unit=meeting.unit,
        clean=False,
        update_fields=True,
    )
    changed(unit_token(meeting.unit.path))
    if meeting.invitations_sent_at:
        _notify_cancelled(meeting)
    return meeting


def _notify_cancelled(meeting: Meeting) -> None:
    recipients = _invited_users(meeting)
    local = timezone.localtime(meeting.starts_at)
    title = _vietnamese(
        lambda: _("Meeting of %(date)s cancelled: %(topic)s") % {"date": f"{local:%d/%m/%Y}", "topic": meeting.topic}
    )
    notify(
        recipients=recipients,
        message=Message(
            kind="meeting_cancelled",
            title=title[:200],
            body=meeting.cancel_reason,
            url=reverse("meetings:detail", args=[meeting.pk]),
            dedupe_key=f"meetings:{meeting.pk}:cancelled",
            channels=("sms", "email"),
        ),
    )


@transaction.atomic
def series_create(
    *,
    actor: User,
    unit: Unit,
    title: str,
    rule: str,
    time: datetime.time,
    place: str,
    starts_on: datetime.date,
    day: int | None = None,
    week: int | None = None,
    weekday: int | None = None,
    duration_minutes: int = 120,
    ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> MeetingSeries:
    """Set up the cell's repeating meetings and generate those of the coming months at once."""
    _require_manage(actor, unit)
    _check_meeting_unit(unit)
    series = MeetingSeries(
        unit=unit,
        title=title.strip(),
        rule=rule,
        day=day,
        week=week,
        weekday=weekday,
        time=time,
        duration_minutes=duration_minutes or 120,
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    model_create(series, actor=actor, unit=unit)
    series_generate(series=series, today=today)
    return series


@transaction.atomic
def series_generate(
    *, series: MeetingSeries, today: datetime.date | None = None, months: int = MONTHS_AHEAD
) -> list[Meeting]:
    """The series' meetings from today through the `months`-th coming month. Idempotent: a date the rule already
    gave (even if the meeting was later moved) is never generated twice. Returns the meetings it added."""
    today = today or timezone.localdate()
    series = MeetingSeries.objects.select_for_update().select_related("unit").get(pk=series.pk)
    if not series.unit.is_open:
        return []
    done = set(series.meetings.values_list("series_date", flat=True))
    created = []
    for day in recurrence.series_dates(series, start=today, months=months):
        if day in done:
            continue
        starts_at = timezone.make_aware(datetime.datetime.combine(day, series.time))
        meeting = Meeting(
            unit=series.unit,
            series=series,
            series_date=day,
            kind=MeetingKind.REGULAR,
            topic=f"{series.title} {day:%m/%Y}",
            place=series.place,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
            created_by=series.created_by,
        )
        meeting.full_clean()
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError:  # generated meanwhile by another run
            continue
        creation_log(actor=None, obj=meeting, unit=series.unit, reason="series")
        created.append(meeting)
    if created:
        changed(unit_token(series.unit.path))
    return created


def series_generate_all(*, today: datetime.date | None = None) -> int:
    """Every open series, for the periodic task. Returns how many meetings were added."""
    today = today or timezone.localdate()
    added = 0
    for series in MeetingSeries.objects.exclude(ends_on__lt=today).filter(unit__closed_on__isnull=True):
        added += len(series_generate(series=series, today=today))
    return added


# ------------------------------------------------------------------ expected members and invitations


def attendance_sync(*, meeting: Meeting) -> None:
    """Bring the rows of expected members up to date: add newly expected members, drop untouched rows of members
    no longer expected. Frozen once the minutes are recorded. Call inside a transaction."""
    if meeting.minutes_recorded_at:
        return
    expected = set(selectors.expected_members(meeting=meeting).values_list("pk", flat=True))
    existing = set(meeting.attendances.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=member_id) for member_id in sorted(expected - existing)],
        ignore_conflicts=True,
    )
    meeting.attendances.filter(member_id__in=existing - expected, presence=Presence.UNKNOWN, reply=Reply.NONE).delete()


@transaction.atomic
def meeting_invite(*, actor: User, meeting: Meeting) -> int:
    """Invite the expected members (in-app, and by SMS/e-mail where they can be reached); once per member and
    meeting, so sending again reaches only members added since. Returns how many members have an account."""
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    _require_not_cancelled(meeting)
    if meeting.is_over():
        raise ValidationError(_("The meeting is over."))
    attendance_sync(meeting=meeting)
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    recipients = _invited_users(meeting)
    local = timezone.localtime(meeting.starts_at)
    title = _vietnamese(
        lambda: _("Cell meeting on %(date)s: %(topic)s") % {"date": f"{local:%d/%m/%Y}", "topic": meeting.topic}
    )
    body = _vietnamese(
        lambda: (
            _("At %(time)s, %(place)s. Please confirm or ask to be excused.")
            % {"time": f"{local:%H:%M}", "place": meeting.place}
        )
    )
    notify(
        recipients=recipients,
        message=Message(
            kind="meeting_invitation",
            title=title[:200],
            body=body,
            url=reverse("meetings:detail", args=[meeting.pk]),
            dedupe_key=f"meetings:{meeting.pk}:invitation",
            channels=("sms", "email"),
        ),
    )
    change_log(
        actor=actor,
        obj=meeting,
        action=ChangeAction.UPDATE,
        before=None,
        after={"invitations_sent_at": str(meeting.invitations_sent_at)},
    )
    return recipients.count()


# ------------------------------------------------------------------ files


def pdf_checked(upload, *, field: str) -> None:
    """Only PDF files (read from the first bytes, whatever the name says) up to FILE_MAX_BYTES."""
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError(
            {field: _("The file is larger than %(size)s MB.") % {"size": FILE_MAX_BYTES // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({field: _("Only PDF files can be attached.")})


@transaction.atomic
def material_add(*, actor: User, meeting: Meeting, title: str, upload) -> Material:
    _require_manage(actor, meeting.unit)
    _require_not_cancelled(meeting, "file")
    pdf_checked(upload, field="file")
    material = Material(
        meeting=meeting,
        title=(title or upload.name or "").strip()[:200],
        size=upload.size,
        original_name=(upload.name or "")[:200],
        uploaded_by=actor,
    )
    material.file.save(upload.name or "material.pdf", upload, save=False)
    return model_create(material, actor=actor, unit=meeting.unit)


@transaction.atomic
def minutes_record(*, actor: User, meeting: Meeting, minutes: str, resolution: str = "", upload=None) -> Meeting:
    """The minutes (text and an optional PDF) and the resolution. Minutes are taken while the meeting runs, so they
    can be recorded from its start, not before. Recording them freezes the list of expected members."""
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    _require_not_cancelled(meeting, "minutes")
    if not meeting.has_started():
        raise ValidationError({"minutes": _("Minutes can be recorded once the meeting has started.")})
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    if upload is not None:
        pdf_checked(upload, field="minutes_file")
    if meeting.votes.filter(closed_at__isnull=True).exists():
        raise ValidationError({"minutes": _("Close the open votes first: their results go into the minutes.")})
    attendance_sync(meeting=meeting)
    before = snapshot(meeting)
    meeting.minutes = minutes.strip()
    meeting.resolution = (resolution or "").strip()
    if upload is not None:
        meeting.minutes_file.save(upload.name or "minutes.pdf", upload, save=False)
    meeting.minutes_recorded_at = meeting.minutes_recorded_at or timezone.now()
    meeting.full_clean()
    meeting.save()
    change_log(
        actor=actor, obj=meeting, action=ChangeAction.UPDATE, before=before, after=snapshot(meeting), unit=meeting.unit
    )
    _check_absences_later(meeting)
    return meeting


# ------------------------------------------------------------------ the member's answer


def _own_attendance(*, user, meeting: Meeting) -> Attendance:
    """The member's row at the meeting, creating it if they may attend (expected, or exempt and coming anyway);
    refused otherwise."""
    if not user.is_authenticated or not user.member_id:
        raise PermissionDenied(_("Only members of the cell can do this."))
    if not meeting.minutes_recorded_at and selectors.may_attend(user=user, meeting=meeting):
        attendance, _created = Attendance.objects.get_or_create(meeting=meeting, member_id=user.member_id)
    else:
        attendance = Attendance.objects.filter(meeting=meeting, member_id=user.member_id).first()
    if attendance is None:
        raise PermissionDenied(_("You are not expected at this meeting."))
    return Attendance.objects.select_for_update().get(pk=attendance.pk)


@transaction.atomic
def meeting_reply(*, user, meeting: Meeting, reply: str, reason: str = "") -> Attendance:
    """The member confirms, or asks to be excused with a reason (the secretary then accepts the excuse or not)."""
    if reply not in (Reply.CONFIRMED, Reply.EXCUSE_REQUESTED):
        raise ValidationError({"reply": _("Choose whether you will attend.")})
    _require_not_cancelled(meeting, "reply")
    if meeting.is_over():
        raise ValidationError({"reply": _("The meeting is over.")})
    attendance = _own_attendance(user=user, meeting=meeting)
    reason = (reason or "").strip()
    if reply == Reply.EXCUSE_REQUESTED:
        if not reason:
            raise ValidationError({"reason": _("Give the reason you cannot attend.")})
        excuse = {"excuse_reason": reason[:500], "excuse": ExcuseDecision.PENDING}
    else:
        excuse = {"excuse_reason": "", "excuse": ExcuseDecision.NONE}
    now = timezone.now()
    data = {**excuse, "reply": reply, "replied_at": now, "updated_at": now}
    return model_update(attendance, data=data, actor=user, unit=meeting.unit)


@transaction.atomic
def excuse_decide(*, actor: User, attendance: Attendance, accept: bool) -> Attendance:
    """The secretary accepts a member's excuse (they count as excused) or not (absent, if they do not come)."""
    _require_manage(actor, attendance.meeting.unit)
    attendance = Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance.pk)
    if not attendance.excuse_reason:
        raise ValidationError(_("The member has not asked to be excused."))
    data = {"excuse": ExcuseDecision.ACCEPTED if accept else ExcuseDecision.REFUSED, "updated_at": timezone.now()}
    model_update(attendance, data=data, actor=actor, clean=False)
    _check_absences_later(attendance.meeting)
    return attendance


# ------------------------------------------------------------------ attendance


@transaction.atomic
def check_in(
    *,
    user,
    token: str,
    scanned_at: datetime.datetime | None = None,
    meeting: Meeting | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Check the signed-in member in with the QR code's token. Returns (attendance, whether this call checked in).

    Accepted when the token is genuine, names this meeting (when one is given), and was valid either now (online)
    or at `scanned_at`, the device's time when the check-in page opened (a check-in queued offline and posted
    later): `scanned_at` must not be in the future nor before the token was issued, and it must arrive within
    tokens.OFFLINE_GRACE. One check-in per member and meeting: a replay changes nothing.
    """
    now = now or timezone.now()
    parsed = tokens.token_read(token)
    if parsed is None:
        raise ValidationError({"t": _("This QR code is not valid. Scan the code shown at the meeting.")})
    if meeting is not None and meeting.pk != parsed.meeting_id:
        raise ValidationError({"t": _("This QR code is for another meeting.")})
    found = Meeting.objects.filter(pk=parsed.meeting_id).select_related("unit").first()
    if found is None:
        raise ValidationError({"t": _("This QR code is not valid. Scan the code shown at the meeting.")})
    meeting = found
    _require_not_cancelled(meeting, "t")
    moment = now
    if not parsed.is_valid_at(now):
        if scanned_at is None:
            raise ValidationError({"t": _("This QR code has expired. Scan the code shown now.")})
        if scanned_at > now:
            raise ValidationError({"scanned_at": _("The time of the scan is in the future. Check the phone's clock.")})
        if scanned_at < parsed.issued_at:
            raise ValidationError({"scanned_at": _("The time of the scan is before the code was shown.")})
        if not parsed.is_valid_at(scanned_at) or now - scanned_at > tokens.OFFLINE_GRACE:
            raise ValidationError({"t": _("This QR code has expired. Scan the code shown now.")})
        moment = scanned_at
    attendance = _own_attendance(user=user, meeting=meeting)
    if attendance.presence == Presence.PRESENT:
        return attendance, False
    data = {"presence": Presence.PRESENT, "checked_in_at": moment, "method": CheckInMethod.QR, "updated_at": now}
    model_update(attendance, data=data, actor=user, unit=meeting.unit, clean=False)
    return attendance, True


@transaction.atomic
def attendance_mark(*, actor: User, meeting: Meeting, member: Member, presence: str) -> Attendance:
    """The secretary marks an expected member present, excused or absent (once the meeting has started)."""
    if presence not in (Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT):
        raise ValidationError({"presence": _("Choose present, excused or absent.")})
    marked = attendance_mark_many(actor=actor, meeting=meeting, presences={member.pk: presence})
    if not marked:
        raise ValidationError({"member": _("This member is not expected at the meeting.")})
    return marked[0]


@transaction.atomic
def attendance_mark_many(*, actor: User, meeting: Meeting, presences: dict[int, str]) -> list[Attendance]:
    """Mark several expected members at once (member pk -> presence), each change in the change log. An exempt
    member of the cell who comes anyway gets a row when marked (see selectors.optional_attendees).

    "All present" and the undo of a mark use it: undo may set a presence back to "not recorded" (""), which
    forgets the check-in time. Members not expected at the meeting are left out of the result.
    """
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if any(presence not in Presence.values for presence in presences.values()):
        raise ValidationError({"presence": _("Choose present, excused or absent.")})
    _require_not_cancelled(meeting, "presence")
    if not meeting.has_started():
        raise ValidationError({"presence": _("Attendance can be recorded once the meeting has started.")})
    attendance_sync(meeting=meeting)
    coming_anyway = selectors.optional_attendees(meeting=meeting).filter(
        pk__in=[pk for pk, presence in presences.items() if presence != Presence.UNKNOWN]
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in coming_anyway.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )
    rows = Attendance.objects.select_for_update().filter(meeting=meeting, member_id__in=list(presences))
    marked = []
    for attendance in rows.order_by("pk"):
        presence = presences[attendance.member_id]
        if attendance.presence == presence:
            marked.append(attendance)
            continue
        model_update(
            attendance, data=_presence_changes(attendance, presence), actor=actor, unit=meeting.unit, clean=False
        )
        marked.append(attendance)
    if marked:
        _check_absences_later(meeting)
    return marked


def _presence_changes(attendance: Attendance, presence: str) -> dict:
    """The fields of `attendance` that marking it `presence` sets."""
    changes = {"presence": presence}
    if presence == Presence.PRESENT:
        changes["checked_in_at"] = attendance.checked_in_at or timezone.now()
        changes["method"] = attendance.method or CheckInMethod.BY_HAND
    elif presence == Presence.UNKNOWN:
        changes["checked_in_at"] = None
        changes["method"] = ""
    else:
        changes["checked_in_at"] = None
        changes["method"] = CheckInMethod.BY_HAND
    if presence == Presence.EXCUSED:
        changes["excuse"] = ExcuseDecision.ACCEPTED
    elif presence == Presence.ABSENT and attendance.excuse == ExcuseDecision.ACCEPTED:
        changes["excuse"] = ExcuseDecision.REFUSED
    changes["updated_at"] = timezone.now()
    return changes


# ------------------------------------------------------------------ the three-months rule


def _check_absences_later(meeting: Meeting) -> None:
    enqueue_on_commit("meetings.tasks.absence_flags_task", meeting.unit_id, timezone.localtime(meeting.starts_at).year)


@transaction.atomic
def absence_flags_record(*, unit: Unit, year: int, today: datetime.date | None = None) -> list[AbsenceFlag]:
    """Flag members of the cell absent without an accepted excuse in three different months of `year`, and tell
    the cell's secretary once per member and year. Returns the flags added by this call."""
    added = []
    for row in selectors.absent_members(unit=unit, year=year, today=today):
        flag, created = AbsenceFlag.objects.get_or_create(member=row.member, year=year, defaults={"unit": unit})
        if not created:
            continue
        added.append(flag)
        title = _vietnamese(
            lambda row=row: (
                _("%(name)s missed meetings in %(count)s months of %(year)s without reason")
                % {"name": row.member.full_name, "count": len(row.absent_months), "year": year}
            )
        )
        body = _vietnamese(
            lambda: _("Missing cell meetings for three months in a year without reason is a ground for striking off.")
        )
        notify(
            recipients=selectors.flag_recipients(unit=unit),
            message=Message(
                kind="meeting_absences",
                title=title[:200],
                body=body,
                url=reverse("meetings:figures", args=[unit.code]) + f"?year={year}",
                dedupe_key=f"meetings:absent:{row.member.pk}:{year}",
            ),
        )
    return added


# ------------------------------------------------------------------ comments on the agenda

COMMENT_MAX_LENGTH = 2000


def _require_comments_open(meeting: Meeting, now: datetime.datetime) -> None:
    _require_not_cancelled(meeting, "text")
    if meeting.has_started(now):
        raise ValidationError({"text": _("The meeting has started: comments on the agenda are closed.")})


@transaction.atomic
def comment_add(
    *,
    user,
    meeting: Meeting,
    text: str,
    written_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> AgendaComment:
    """A comment on the agenda by one of the cell's invited members (or someone managing its meetings), until the
    meeting starts. The secretary hears of comments in one digest per meeting and day, not one per comment.

    Like a check-in, a comment kept offline by the phone is judged at `written_at`, the phone's time when it was
    sent: before the start it is accepted even if it arrives later, within tokens.OFFLINE_GRACE."""
    now = now or timezone.now()
    moment = now
    if written_at is not None and written_at < now:
        if now - written_at > tokens.OFFLINE_GRACE:
            raise ValidationError({"text": _("This comment was kept on the phone too long to be sent.")})
        moment = written_at
    if not selectors.can_see_comments(user=user, meeting=meeting):
        raise PermissionDenied(_("Only the members invited to this meeting can comment on its agenda."))
    _require_comments_open(meeting, moment)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("A comment has at most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH}}
        )
    comment = AgendaComment(
        meeting=meeting, author=user, member_id=user.member_id or None, text=text, created_at=moment
    )
    model_create(comment, actor=user, unit=meeting.unit)
    _notify_comments_digest(meeting, now)
    return comment


def _notify_comments_digest(meeting: Meeting, now: datetime.datetime) -> None:
    """One notification per meeting and day to the cell's secretaries: its key holds the day, so the second and
    later comments of that day add nothing (the page lists them all)."""
    day = timezone.localtime(now).date()
    local = timezone.localtime(meeting.starts_at)
    title = _vietnamese(
        lambda: _("New comments on the agenda of the meeting of %(date)s") % {"date": f"{local:%d/%m/%Y}"}
    )
    body = _vietnamese(lambda: _("Members commented on the agenda of %(topic)s.") % {"topic": meeting.topic})
    notify(
        recipients=selectors.flag_recipients(unit=meeting.unit),
        message=Message(
            kind="meeting_comments",
            title=title[:200],
            body=body,
            url=reverse("meetings:comments", args=[meeting.pk]),
            dedupe_key=f"meetings:{meeting.pk}:comments:{day.isoformat()}",
        ),
    )


@transaction.atomic
def comment_answer(
    *, actor: User, comment: AgendaComment, answer: str = "", taken_into_meeting: bool | None = None
) -> AgendaComment:
    """The secretary answers a comment, and/or marks it taken into the meeting (or not), until the minutes are
    recorded."""
    _require_manage(actor, comment.meeting.unit)
    comment = AgendaComment.objects.select_for_update().select_related("meeting__unit").get(pk=comment.pk)
    if comment.meeting.minutes_recorded_at:
        raise ValidationError(_("The minutes are recorded: the comments can no longer be changed."))
    answer = (answer or "").strip()
    if not answer and taken_into_meeting is None:
        raise ValidationError({"answer": _("Write an answer, or mark the comment taken into the meeting.")})
    if len(answer) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"answer": _("An answer has at most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH}}
        )
    before = snapshot(comment)
    now = timezone.now()
    if answer:
        comment.answer, comment.answered_by, comment.answered_at = answer, actor, now
    if taken_into_meeting is not None:
        comment.taken_into_meeting_at = (comment.taken_into_meeting_at or now) if taken_into_meeting else None
    comment.full_clean()
    comment.save()
    change_log(
        actor=actor,
        obj=comment,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(comment),
        unit=comment.meeting.unit,
    )
    return comment


# ------------------------------------------------------------------ votes


@transaction.atomic
def vote_open(
    *,
    actor: User,
    meeting: Meeting,
    matter: str,
    method: str = VoteMethod.SHOW_OF_HANDS,
    is_secret: bool = False,
    probationary_members_vote: bool = False,
    passing_rule: str = PassingRule.MAJORITY_OF_ROLL,
) -> Vote:
    """The secretary opens a vote on one matter while the meeting is held. Refused without a quorum: more than half
    of the official members with a vote must be present (selectors.VoteFigures says who counts)."""
    _require_manage(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    _require_not_cancelled(meeting)
    if not meeting.has_started():
        raise ValidationError(_("Votes are held in the meeting, once it has started."))
    if meeting.minutes_recorded_at:
        raise ValidationError(_("The minutes are recorded: no more votes can be held."))
    if method == VoteMethod.SHOW_OF_HANDS and is_secret:
        raise ValidationError({"is_secret": _("A show of hands cannot be secret: choose the electronic vote.")})
    figures = selectors.vote_figures(meeting=meeting)
    if not figures.has_quorum:
        raise ValidationError(
            _(
                "Only %(present)s of %(members)s official members with a vote are present: more than half are needed "
                "to vote."
            )
            % {"present": figures.members_present, "members": figures.members_with_a_vote}
        )
    vote = Vote(
        meeting=meeting,
        matter=(matter or "").strip(),
        method=method,
        is_secret=is_secret,
        probationary_members_vote=probationary_members_vote,
        passing_rule=passing_rule,
        opened_by=actor,
    )
    return model_create(vote, actor=actor, unit=meeting.unit)


# A vote is live: a ballot the device says was cast longer ago than this was kept offline and sent later.
BALLOT_LIVE = datetime.timedelta(minutes=2)


@transaction.atomic
def ballot_cast(
    *, user, vote: Vote, choice: str, cast_at: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> VoteCast:
    """A present member votes on their phone, once. The choice is added to its count (BallotTally, no row per
    ballot); in a secret vote only the fact of voting is kept with the member (and in the change log). `cast_at`, the device's time of the
    vote, if given, must be recent: a ballot queued offline is refused, not counted late."""
    now = now or timezone.now()
    if cast_at is not None and now - cast_at > BALLOT_LIVE:
        raise ValidationError(
            {"cast_at": _("Voting needs a connection: this vote was kept offline and is not counted. Vote again.")}
        )
    vote = Vote.objects.select_for_update().select_related("meeting__unit").get(pk=vote.pk)
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose in favour, against or abstain.")})
    if not vote.is_open:
        raise ValidationError(_("The vote is closed: it can no longer be changed."))
    if vote.method != VoteMethod.ELECTRONIC:
        raise ValidationError(_("This vote is by show of hands: the secretary counts it."))
    member = user.member if user.is_authenticated and user.member_id else None
    if not selectors.may_vote(vote=vote, member=member):
        raise PermissionDenied(_("Only the official members present at the meeting vote on this matter."))
    if selectors.has_voted(vote=vote, member_id=member.pk):
        raise ValidationError(_("You have already voted."))
    cast = VoteCast(vote=vote, member=member, choice="" if vote.is_secret else choice)
    cast.full_clean()
    cast.save()
    # The vote row is locked above, so ballots of one vote are counted one after another.
    tally, _created = BallotTally.objects.get_or_create(vote=vote, choice=choice)
    BallotTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
    creation_log(actor=user, obj=cast, unit=vote.meeting.unit)
    return cast


@transaction.atomic
def vote_close(
    *,
    actor: User,
    vote: Vote,
    count_for: int | None = None,
    count_against: int | None = None,
    count_abstain: int | None = None,
) -> Vote:
    """Close the vote and freeze its figures and result; the result is added to the meeting's minutes. A show of
    hands takes the secretary's counts; an electronic vote counts its ballots. Closed, a vote never changes."""
    _require_manage(actor, vote.meeting.unit)
    vote = Vote.objects.select_for_update().select_related("meeting__unit").get(pk=vote.pk)
    if not vote.is_open:
        raise ValidationError(_("The vote is closed: it can no longer be changed."))
    meeting = Meeting.objects.select_for_update().get(pk=vote.meeting_id)
    figures = selectors.vote_figures(meeting=meeting)
    if vote.method == VoteMethod.SHOW_OF_HANDS:
        counts = [count_for, count_against, count_abstain]
        if any(count is None or count < 0 for count in counts):
            raise ValidationError({"count_for": _("Enter the number of hands for each answer.")})
        voters_present = selectors.voters_present(vote=vote)
        if sum(counts) > voters_present:
            raise ValidationError(
                {
                    "count_for": _("%(counted)s hands counted, but only %(present)s members present may vote.")
                    % {"counted": sum(counts), "present": voters_present}
                }
            )
    else:
        tally = selectors.ballot_counts(vote=vote)
        counts = [tally[VoteChoice.FOR], tally[VoteChoice.AGAINST], tally[VoteChoice.ABSTAIN]]
    before = snapshot(vote)
    vote.count_for, vote.count_against, vote.count_abstain = counts
    vote.members_with_a_vote = figures.members_with_a_vote
    vote.members_present = figures.members_present
    vote.has_quorum = figures.has_quorum
    vote.is_passed = figures.has_quorum and selectors.passes(
        rule=vote.passing_rule,
        count_for=vote.count_for,
        voters=sum(counts),
        members_with_a_vote=figures.members_with_a_vote,
    )
    vote.closed_at = timezone.now()
    vote.save()
    change_log(
        actor=actor, obj=vote, action=ChangeAction.UPDATE, before=before, after=snapshot(vote), unit=meeting.unit
    )
    minutes_before = snapshot(meeting)
    line = _vietnamese(selectors.vote_result_line, vote)
    meeting.minutes = "\n".join(part for part in (meeting.minutes, line) if part)
    meeting.save(update_fields=["minutes"])
    change_log(
        actor=actor,
        obj=meeting,
        action=ChangeAction.UPDATE,
        before=minutes_before,
        after=snapshot(meeting),
        reason=line[:200],
        unit=meeting.unit,
    )
    return vote
