"""Meeting pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

import datetime
import urllib.parse

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import form_service, service_action
from members.models import Member
from orgunits.models import Unit

from . import selectors, services, tokens
from .choices import Presence
from .forms import (
    BallotForm,
    CancelForm,
    CommentAnswerForm,
    CommentForm,
    MarkForm,
    MaterialForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    ReplyForm,
    SeriesForm,
    VoteCloseForm,
    VoteOpenForm,
    YearForm,
)
from .models import Attendance

PAGE_SIZE = 20


def _manage_or_403(user, meeting):
    if not selectors.can_manage_meeting(user=user, meeting=meeting):
        raise PermissionDenied


@login_required
def meeting_list(request):
    """The user's cell's meetings and those of the units in their scope: coming ones first, then past ones by page."""
    upcoming = list(selectors.meeting_list(actor=request.user, upcoming=True)[:PAGE_SIZE])
    past = Paginator(selectors.meeting_list(actor=request.user, upcoming=False), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    managed = list(selectors.managed_units(actor=request.user)[:50])
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": upcoming,
            "page": past,
            "managed_units": managed,
            "next_meeting": selectors.next_meeting_for(user=request.user),
        },
    )


@login_required
def meeting_create(request):
    units = selectors.managed_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    form = MeetingForm(request.POST or None, units=units)
    if done := form_service(
        request,
        form,
        lambda data: services.meeting_create(actor=request.user, **form.service_data()),
        success=_("Meeting scheduled."),
        to=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
    ):
        return done
    return render(request, "meetings/form.html", {"form": form, "title": _("Schedule a meeting")})


@login_required
def series_create(request):
    units = selectors.managed_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    form = SeriesForm(request.POST or None, units=units)
    if done := form_service(
        request,
        form,
        lambda data: services.series_create(actor=request.user, **data),
        success=lambda series: (
            _("Repeating meetings set up: %(count)s scheduled.") % {"count": series.meetings.count()}
        ),
        to="meetings:list",
    ):
        return done
    return render(request, "meetings/form.html", {"form": form, "title": _("Repeating monthly meetings")})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    attendance = selectors.attendance_of(user=request.user, meeting=meeting)
    is_expected = attendance is not None or selectors.is_expected(user=request.user, meeting=meeting)
    initial = {"reply": attendance.reply, "reason": attendance.excuse_reason} if attendance else None
    can_manage = selectors.can_manage_meeting(user=request.user, meeting=meeting)
    context = {
        "meeting": meeting,
        "attendance": attendance,
        "is_expected": is_expected,
        "reply_form": ReplyForm(initial=initial),
        "can_manage": can_manage,
        "materials": meeting.materials.all(),
        "material_form": MaterialForm(),
        "cancel_form": CancelForm(),
        "is_over": meeting.is_over(),
        "has_started": meeting.has_started(),
    }
    if can_manage:
        context["counts"] = selectors.attendance_counts(meeting=meeting)
    if selectors.can_see_comments(user=request.user, meeting=meeting):
        context["comment_count"] = selectors.comments_for(actor=request.user, meeting=meeting).count()
    return render(request, "meetings/detail.html", context)


@login_required
def meeting_update(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    _manage_or_403(request.user, meeting)
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "kind": meeting.kind,
        "topic": meeting.topic,
        "day": local.date(),
        "time": local.time(),
        "duration_minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        "place": meeting.place,
        "agenda": meeting.agenda,
    }
    units = selectors.managed_units(actor=request.user)
    form = MeetingEditForm(request.POST or None, units=units, initial=initial)
    if done := form_service(
        request,
        form,
        lambda data: services.meeting_update(actor=request.user, meeting=meeting, **form.service_data()),
        success=_("Meeting changed."),
        to="meetings:detail",
        pk=meeting.pk,
    ):
        return done
    return render(request, "meetings/form.html", {"form": form, "title": _("Change the meeting"), "meeting": meeting})


@login_required
@require_POST
def meeting_invite(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    return service_action(
        request,
        lambda: services.meeting_invite(actor=request.user, meeting=meeting),
        success=lambda count: _("Invitations sent to %(count)s members with an account.") % {"count": count},
        to="meetings:detail",
        pk=meeting.pk,
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the meeting is cancelled: the members will read it."))
        return redirect("meetings:detail", pk=meeting.pk)
    return service_action(
        request,
        lambda: services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]),
        success=_("The meeting is cancelled."),
        to="meetings:detail",
        pk=meeting.pk,
    )


@login_required
@require_POST
def material_add(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(
                actor=request.user, meeting=meeting, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(request, _("Choose a PDF file."))
    return redirect("meetings:detail", pk=meeting.pk)


def _stream_pdf(file, name: str):
    response = FileResponse(file.open("rb"), content_type="application/pdf")
    quoted = urllib.parse.quote(name or "document.pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quoted}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def material(request, pk: int):
    """A meeting's document, streamed after the scope check (never a public URL)."""
    document = selectors.material_get(actor=request.user, pk=pk)
    return _stream_pdf(document.file, document.original_name)


@login_required
def minutes_file(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    if not meeting.minutes_file:
        raise Http404
    return _stream_pdf(meeting.minutes_file, f"minutes-{meeting.pk}.pdf")


@login_required
def minutes(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    _manage_or_403(request.user, meeting)
    initial = {"minutes": meeting.minutes, "resolution": meeting.resolution}
    quote = selectors.comments_quote(meeting=meeting)
    if request.method == "GET" and request.GET.get("quote") and quote:
        # The button "quote the comments taken into the meeting": the draft gains them at its end.
        initial["minutes"] = "\n\n".join(part for part in (meeting.minutes, quote) if part)
    form = MinutesForm(request.POST or None, request.FILES or None, initial=initial)
    if done := form_service(
        request,
        form,
        lambda data: services.minutes_record(
            actor=request.user,
            meeting=meeting,
            minutes=data["minutes"],
            resolution=data["resolution"],
            upload=data["minutes_file"],
        ),
        success=_("Minutes recorded."),
        to="meetings:detail",
        pk=meeting.pk,
    ):
        return done
    return render(request, "meetings/minutes.html", {"form": form, "meeting": meeting, "has_quote": bool(quote)})


@login_required
@require_POST
def reply(request):
    """The member's own answer to an invitation (the meeting is named in the form)."""
    try:
        meeting = selectors.meeting_get(actor=request.user, pk=int(request.POST.get("meeting", "")))
    except ValueError as error:
        raise Http404 from error
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you will attend."))
        return redirect("meetings:detail", pk=meeting.pk)
    return service_action(
        request,
        lambda: services.meeting_reply(user=request.user, meeting=meeting, **form.cleaned_data),
        success=_("Your answer is recorded."),
        to="meetings:detail",
        pk=meeting.pk,
    )


def _attendance_post(request, meeting) -> tuple[str, dict[int, str]]:
    """Apply one attendance post: a mark, "all present" or an undo. Returns (what was done, the undo: pk -> presence)."""
    sheet = selectors.attendance_sheet(meeting=meeting)
    current = {row.member.pk: (row.attendance.presence if row.attendance else Presence.UNKNOWN) for row in sheet}
    if "all_present" in request.POST:
        presences = {pk: Presence.PRESENT for pk, presence in current.items() if presence == Presence.UNKNOWN}
        marked = services.attendance_mark_many(actor=request.user, meeting=meeting, presences=presences)
        done = _("%(count)s members marked present.") % {"count": len(marked)}
    elif "undo" in request.POST:
        members, previous = request.POST.getlist("undo_member"), request.POST.getlist("undo_presence")
        presences = {int(pk): presence for pk, presence in zip(members, previous, strict=False) if pk.isdigit()}
        services.attendance_mark_many(actor=request.user, meeting=meeting, presences=presences)
        return _("Undone."), {}
    else:
        form = MarkForm(request.POST)
        may_come = current.keys() | set(selectors.optional_attendees(meeting=meeting).values_list("pk", flat=True))
        if not form.is_valid() or form.cleaned_data["member"] not in may_come:
            raise ValidationError(_("This member is not expected at the meeting."))
        member = get_object_or_404(Member, pk=form.cleaned_data["member"], unit=meeting.unit)
        services.attendance_mark(
            actor=request.user, meeting=meeting, member=member, presence=form.cleaned_data["presence"]
        )
        presences = {member.pk: form.cleaned_data["presence"]}
        done = _("Attendance of %(name)s recorded.") % {"name": member.full_name}
    previous = {pk: current.get(pk, Presence.UNKNOWN) for pk in presences}
    return done, {pk: previous[pk] for pk in presences if previous[pk] != presences[pk]}


@login_required
def attendance(request, pk: int):
    """The secretary's attendance sheet: every expected member, marked present, excused or absent.

    Marks, "all present" and their undo are posted by htmx, which swaps the sheet in place (no reload, no jump
    to the top); without JavaScript the same forms post and the page reloads.
    """
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    _manage_or_403(request.user, meeting)
    done, undo, failed = "", {}, ""
    if request.method == "POST":
        try:
            done, undo = _attendance_post(request, meeting)
        except ValidationError as error:
            failed = " ".join(error.messages)
        if not request.headers.get("HX-Request"):
            if failed:
                messages.error(request, failed)
            else:
                messages.success(request, done)
            return redirect("meetings:attendance", pk=meeting.pk)
    rows = selectors.attendance_sheet(meeting=meeting)
    on_sheet = {row.member.pk for row in rows}
    context = {
        "meeting": meeting,
        "rows": rows,
        "coming_anyway": [
            member
            for member in selectors.optional_attendees(meeting=meeting).order_by("sort_name", "pk")
            if member.pk not in on_sheet
        ],
        "has_started": meeting.has_started(),
        "done": done,
        "failed": failed,
        "undo": sorted(undo.items()),
    }
    template = "meetings/_attendance_sheet.html" if request.headers.get("HX-Request") else "meetings/attendance.html"
    return render(request, template, context)


@login_required
@require_POST
def excuse_decide(request, pk: int):
    row = get_object_or_404(
        Attendance.objects.filter(meeting__in=selectors.meetings_visible_to(request.user)).select_related(
            "meeting__unit"
        ),
        pk=pk,
    )
    return service_action(
        request,
        lambda: services.excuse_decide(actor=request.user, attendance=row, accept=request.POST.get("accept") == "1"),
        success=_("Decision on the excuse recorded."),
        to="meetings:attendance",
        pk=row.meeting_id,
    )


def _qr_context(request, meeting) -> dict:
    token = tokens.token_issue(meeting_id=meeting.pk)
    link = request.build_absolute_uri(reverse("meetings:check_in") + "?" + urllib.parse.urlencode({"t": token}))
    return {
        "meeting": meeting,
        "link": link,
        "svg": segno.make(link, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
        "counts": selectors.attendance_counts(meeting=meeting),
        "refresh_seconds": tokens.REFRESH_SECONDS,
    }


@login_required
def qr(request, pk: int):
    """The secretary's screen at the meeting: a QR code renewed every minute by htmx, and the count checked in."""
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    _manage_or_403(request.user, meeting)
    if meeting.is_over():
        messages.error(request, _("The meeting is over."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/qr.html", _qr_context(request, meeting))


@login_required
def qr_code(request, pk: int):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    _manage_or_403(request.user, meeting)
    return render(request, "meetings/_qr_code.html", _qr_context(request, meeting))


def _parse_scanned_at(value: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@login_required
def check_in(request):
    """Where the QR code leads. The form carries the token `t` and `scanned_at`, the phone's time when this page
    opened (set by handbook/app.js), so a check-in queued offline by the service worker is judged at that time."""
    token = request.POST.get("t") if request.method == "POST" else request.GET.get("t", "")
    parsed = tokens.token_read(token or "")
    meeting = None
    if parsed is not None:
        meeting = (
            selectors.meetings_visible_to(request.user).filter(pk=parsed.meeting_id).select_related("unit").first()
        )
    errors = []
    if request.method == "POST":
        try:
            row, is_new = services.check_in(
                user=request.user, token=token or "", scanned_at=_parse_scanned_at(request.POST.get("scanned_at", ""))
            )
        except ValidationError as error:
            errors = error.messages
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            if is_new:
                messages.success(request, _("You are checked in. Welcome!"))
            else:
                messages.info(request, _("You were already checked in."))
            return redirect("meetings:detail", pk=row.meeting_id)
    elif parsed is None:
        errors = [_("This QR code is not valid. Scan the code shown at the meeting.")]
    return render(request, "meetings/check_in.html", {"token": token, "meeting": meeting, "errors": errors})


@login_required
def figures(request, code: str):
    """The secretary's page: held meetings against the monthly rule, attendance rates, and flagged members."""
    unit = selectors.unit_for_meetings(actor=request.user, code=code)
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    context = {"unit": unit, "year": year, "form": form}
    if unit.kind in selectors.MEETING_UNIT_KINDS:
        context["figures"] = selectors.cell_figures(unit=unit, year=year)
    cells = Unit.objects.filter(
        path__startswith=unit.path, depth__gt=unit.depth, kind__in=selectors.MEETING_UNIT_KINDS
    ).order_by("path")
    page = Paginator(cells, PAGE_SIZE).get_page(request.GET.get("page"))
    context["page"] = page
    context["cells"] = [selectors.cell_figures(unit=cell, year=year) for cell in page]
    return render(request, "meetings/figures.html", context)


@login_required
def comments(request, pk: int):
    """Comments on the agenda: invited members read them and add theirs until the meeting starts; the secretary
    sees them grouped (to answer, answered, taken into the meeting) and answers each in place."""
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    if not selectors.can_see_comments(user=request.user, meeting=meeting):
        raise PermissionDenied
    form = CommentForm(request.POST or None)
    if done := form_service(
        request,
        form,
        lambda data: services.comment_add(
            user=request.user, meeting=meeting, text=data["text"], written_at=data["written_at"]
        ),
        success=_("Your comment is sent to the secretary."),
        to="meetings:comments",
        pk=meeting.pk,
    ):
        return done
    can_manage = selectors.can_manage_meeting(user=request.user, meeting=meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "can_manage": can_manage,
        "is_open": not meeting.has_started() and not meeting.cancelled_at,
        "groups": selectors.comment_groups(actor=request.user, meeting=meeting),
        "answer_form": CommentAnswerForm(),
    }
    return render(request, "meetings/comments.html", context)


@login_required
@require_POST
def comment_answer(request, pk: int):
    comment = selectors.comment_get(actor=request.user, pk=pk)
    if not selectors.can_manage_meeting(user=request.user, meeting=comment.meeting):
        raise PermissionDenied
    form = CommentAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer, or mark the comment taken into the meeting."))
        return redirect("meetings:comments", pk=comment.meeting_id)
    try:
        services.comment_answer(
            actor=request.user,
            comment=comment,
            answer=form.cleaned_data["answer"],
            taken_into_meeting=form.taken_into_meeting(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment is updated."))
    return redirect("meetings:comments", pk=comment.meeting_id)


@login_required
def votes(request, pk: int):
    """The meeting's votes. The secretary opens one (and closes it, below); present members vote on their phone in an
    electronic vote while it is open; closed votes show their result. Voting needs a connection: the service worker
    never keeps a ballot to send later."""
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    if not selectors.can_see_comments(user=request.user, meeting=meeting):
        raise PermissionDenied
    can_manage = selectors.can_manage_meeting(user=request.user, meeting=meeting)
    form = VoteOpenForm(request.POST or None)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    if done := form_service(
        request,
        form,
        lambda data: services.vote_open(actor=request.user, meeting=meeting, **data),
        success=_("The vote is open."),
        to="meetings:votes",
        pk=meeting.pk,
    ):
        return done
    context = {
        "meeting": meeting,
        "rows": selectors.vote_rows(actor=request.user, meeting=meeting),
        "can_manage": can_manage,
        "can_open": can_manage and meeting.has_started() and not meeting.minutes_recorded_at,
        "figures": selectors.vote_figures(meeting=meeting),
        "form": form,
        "close_form": VoteCloseForm(),
        "choices": BallotForm.base_fields["choice"].choices,
    }
    return render(request, "meetings/votes.html", context)


@login_required
@require_POST
def vote_close(request, pk: int):
    vote = selectors.vote_get(actor=request.user, pk=pk)
    if not selectors.can_manage_meeting(user=request.user, meeting=vote.meeting):
        raise PermissionDenied
    form = VoteCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the number of hands for each answer."))
        return redirect("meetings:votes", pk=vote.meeting_id)
    try:
        services.vote_close(actor=request.user, vote=vote, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The vote is closed; its result is in the minutes."))
    return redirect("meetings:votes", pk=vote.meeting_id)


@login_required
@require_POST
def ballot(request):
    """A present member's electronic vote (the vote is named in the form)."""
    try:
        vote = selectors.vote_get(actor=request.user, pk=int(request.POST.get("vote", "")))
    except ValueError as error:
        raise Http404 from error
    form = BallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose in favour, against or abstain."))
        return redirect("meetings:votes", pk=vote.meeting_id)
    try:
        services.ballot_cast(user=request.user, vote=vote, choice=form.cleaned_data["choice"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("meetings:votes", pk=vote.meeting_id)
