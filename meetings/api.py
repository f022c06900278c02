"""Meetings over the API: the same selectors and services as the pages.

Lists and reads follow the pages' scope (own cell, or MEMBER_VIEW in the subtree); the attendance list is for
those who manage the meeting; replying and checking in are the signed-in member's own acts. Comments on the
agenda and votes are for the cell's invited members and those who manage its meetings; a ballot is the signed-in
member's own act, and it is live: one sent late (queued offline) is refused.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut, Int64, PageIn, TextIn, page_of

from . import selectors, services
from .choices import MeetingKind, PassingRule, Reply, VoteChoice, VoteMethod
from .models import AgendaComment, Meeting

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    kind: str
    topic: str
    agenda: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    url: str
    has_minutes: bool
    cancelled_at: datetime.datetime | None = Field(None, description="Set when the meeting was called off")
    cancel_reason: str = ""

    @staticmethod
    def resolve_unit_code(meeting: Meeting) -> str:
        return meeting.unit.code

    @staticmethod
    def resolve_unit_name(meeting: Meeting) -> str:
        return meeting.unit.name

    @staticmethod
    def resolve_url(meeting: Meeting) -> str:
        return reverse("meetings:detail", args=[meeting.pk])

    @staticmethod
    def resolve_has_minutes(meeting: Meeting) -> bool:
        return meeting.minutes_recorded_at is not None


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]


class MeetingFilter(Schema):
    upcoming: bool | None = Field(None, description="true: not over yet (soonest first); false: over (latest first)")
    unit_code: TextIn | None = Field(None, description="Only this unit's subtree")


class MaterialOut(Schema):
    id: int
    title: str
    size: int
    url: str

    @staticmethod
    def resolve_url(material) -> str:
        return reverse("meetings:material", args=[material.pk])


class MyAttendanceOut(Schema):
    reply: str
    excuse: str
    presence: str
    checked_in_at: datetime.datetime | None


class MeetingDetailOut(MeetingOut):
    minutes: str
    resolution: str
    materials: list[MaterialOut]
    my_attendance: MyAttendanceOut | None

    @staticmethod
    def resolve_materials(meeting: Meeting) -> list:
        return list(meeting.materials.all())


class AttendanceOut(Schema):
    member_id: int
    full_name: str
    reply: str
    excuse: str
    excuse_reason: str
    presence: str
    checked_in_at: datetime.datetime | None


class ReplyIn(Schema):
    meeting_id: Int64
    reply: Reply = Field(..., description="confirmed, or excuse_requested with a reason")
    reason: TextIn = ""


class MeetingIn(Schema):
    unit_code: TextIn = Field(..., max_length=64, description="The cell (or grassroots committee) holding the meeting")
    topic: TextIn = Field(..., min_length=1, max_length=255)
    place: TextIn = Field(..., min_length=1, max_length=255)
    starts_at: datetime.datetime = Field(..., description="With its time zone, e.g. 2026-12-05T08:00:00+07:00")
    duration_minutes: Int64 = Field(120, ge=15, le=12 * 60)
    kind: MeetingKind = MeetingKind.THEMATIC
    agenda: TextIn = Field("", max_length=10_000)


class InvitedOut(Schema):
    members_with_an_account: int


class CancelIn(Schema):
    reason: TextIn = Field(..., max_length=500, description="Why: the invited members are told")


class CheckInIn(Schema):
    t: TextIn = Field(..., description="The token of the QR code")
    scanned_at: datetime.datetime | None = Field(None, description="The device's time when the code was scanned")
    meeting_id: Int64 | None = Field(None, description="If given, the token must be this meeting's")


class CheckInOut(Schema):
    meeting_id: int
    checked_in_at: datetime.datetime
    already_checked_in: bool


# 404: a `unit_code` that names no unit in the user's scope.
@router.get(
    "",
    response={200: MeetingPage, **LIST_ERRORS, 404: ErrorOut},
    summary="Meetings of the user's cell and of units in scope",
)
def meeting_list(request, filters: Query[MeetingFilter], page: Query[PageIn]):
    unit = None
    if filters.unit_code:
        unit = selectors.unit_for_meetings(actor=request.auth, code=filters.unit_code)
    meetings = selectors.meeting_list(actor=request.auth, unit=unit, upcoming=filters.upcoming)
    if filters.upcoming is None:
        meetings = meetings.order_by("-starts_at", "-id")
    count, items = page_of(meetings, page)
    return {"count": count, "items": items}


@router.post("", response={201: MeetingOut, **WRITE_ERRORS}, summary="Schedule a meeting")
def meeting_create(request, payload: MeetingIn):
    """One meeting of a cell the user manages meetings for (a monthly series is set up on the page)."""
    unit = selectors.unit_for_meetings(actor=request.auth, code=payload.unit_code, manage=True)
    data = payload.dict(exclude={"unit_code"})
    return Status(201, services.meeting_create(actor=request.auth, unit=unit, **data))


@router.post(
    "/{int:meeting_id}/invite", response={200: InvitedOut, **WRITE_ERRORS}, summary="Invite the expected members"
)
def meeting_invite(request, meeting_id: Int64):
    """Once per member and meeting: sending again reaches only members added since."""
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    return {"members_with_an_account": services.meeting_invite(actor=request.auth, meeting=meeting)}


@router.get("/next", response={200: MeetingOut | None, 401: READ_ERRORS[401]}, summary="The user's next meeting")
def next_meeting(request):
    """The next meeting of the signed-in member's cell that is not over yet, or null."""
    return selectors.next_meeting_for(user=request.auth)


@router.get("/{int:meeting_id}", response={200: MeetingDetailOut, **READ_ERRORS}, summary="Read a meeting")
def meeting_detail(request, meeting_id: Int64):
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    # The signed-in member's own answer and presence, if they are expected at the meeting.
    meeting.my_attendance = selectors.attendance_of(user=request.auth, meeting=meeting)
    return meeting


@router.get(
    "/{int:meeting_id}/attendance",
    response={200: list[AttendanceOut], **READ_ERRORS, 403: WRITE_ERRORS[403]},
    summary="Attendance of every expected member (for those who manage the meeting)",
)
def attendance_list(request, meeting_id: Int64):
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    if not selectors.can_manage_meeting(user=request.auth, meeting=meeting):
        raise PermissionDenied
    return [
        {
            "member_id": row.member.pk,
            "full_name": row.member.full_name,
            "reply": row.attendance.reply if row.attendance else "",
            "excuse": row.attendance.excuse if row.attendance else "",
            "excuse_reason": row.attendance.excuse_reason if row.attendance else "",
            "presence": row.attendance.presence if row.attendance else "",
            "checked_in_at": row.attendance.checked_in_at if row.attendance else None,
        }
        for row in selectors.attendance_sheet(meeting=meeting)
    ]


@router.post("/reply", response={200: MyAttendanceOut, **WRITE_ERRORS}, summary="Confirm, or ask to be excused")
def reply(request, payload: ReplyIn):
    """The signed-in member's answer to the invitation of a meeting of their cell."""
    meeting = selectors.meeting_get(actor=request.auth, pk=payload.meeting_id)
    return services.meeting_reply(user=request.auth, meeting=meeting, reply=payload.reply, reason=payload.reason)


@router.post(
    "/{int:meeting_id}/cancel", response={200: MeetingOut, **WRITE_ERRORS}, summary="Cancel a meeting not yet started"
)
def cancel(request, meeting_id: Int64, payload: CancelIn):
    """The meeting stays, marked cancelled with the reason; members already invited are told."""
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    return services.meeting_cancel(actor=request.auth, meeting=meeting, reason=payload.reason)


@router.post("/check-in", response={200: CheckInOut, **WRITE_ERRORS}, summary="Check in with the QR code's token")
def check_in(request, payload: CheckInIn):
    """One check-in per member and meeting; a replay answers `already_checked_in`. A check-in queued offline is
    judged at `scanned_at` (not in the future, not before the code was issued, within 48 hours)."""
    meeting = None
    if payload.meeting_id is not None:
        meeting = selectors.meetings_visible_to(request.auth).filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise Http404
    attendance, is_new = services.check_in(
        user=request.auth, token=payload.t, scanned_at=payload.scanned_at, meeting=meeting
    )
    return {
        "meeting_id": attendance.meeting_id,
        "checked_in_at": attendance.checked_in_at,
        "already_checked_in": not is_new,
    }


# ------------------------------------------------------------------ comments on the agenda


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    taken_into_meeting: bool

    @staticmethod
    def resolve_author(comment: AgendaComment) -> str:
        return selectors.comment_author_name(comment)

    @staticmethod
    def resolve_taken_into_meeting(comment: AgendaComment) -> bool:
        return comment.is_taken_into_meeting


class CommentIn(Schema):
    text: TextIn = Field(..., max_length=2000)
    written_at: datetime.datetime | None = Field(
        None, description="The device's time when the comment was written, for one kept offline and sent later"
    )


class CommentAnswerIn(Schema):
    answer: TextIn = Field("", max_length=2000)
    taken_into_meeting: bool | None = Field(None, description="true: taken into the meeting; false: taken back out")


def _meeting_with_comments(request, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    if not selectors.can_see_comments(user=request.auth, meeting=meeting):
        raise PermissionDenied
    return meeting


@router.get(
    "/{int:meeting_id}/comments",
    response={200: list[CommentOut], **READ_ERRORS, 403: WRITE_ERRORS[403]},
    summary="Comments on the agenda (for the cell's invited members and those who manage it)",
)
def comment_list(request, meeting_id: Int64):
    meeting = _meeting_with_comments(request, meeting_id)
    return list(selectors.comments_for(actor=request.auth, meeting=meeting))


@router.post("/{int:meeting_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment on the agenda")
def comment_add(request, meeting_id: Int64, payload: CommentIn):
    """Until the meeting starts. An app without a connection may keep the comment and send it later with
    `written_at`: written before the start, it is accepted within 48 hours."""
    meeting = _meeting_with_comments(request, meeting_id)
    comment = services.comment_add(user=request.auth, meeting=meeting, text=payload.text, written_at=payload.written_at)
    return Status(201, comment)


@router.post(
    "/comments/{int:comment_id}/answer",
    response={200: CommentOut, **WRITE_ERRORS},
    summary="Answer a comment, or take it into the meeting",
)
def comment_answer(request, comment_id: Int64, payload: CommentAnswerIn):
    comment = selectors.comment_get(actor=request.auth, pk=comment_id)
    return services.comment_answer(
        actor=request.auth, comment=comment, answer=payload.answer, taken_into_meeting=payload.taken_into_meeting
    )


# ------------------------------------------------------------------ votes


class VoteOut(Schema):
    id: int
    matter: str
    method: str
    is_secret: bool
    probationary_members_vote: bool
    passing_rule: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    count_for: int | None
    count_against: int | None
    count_abstain: int | None
    members_with_a_vote: int | None
    members_present: int | None
    has_quorum: bool | None
    is_passed: bool | None
    may_vote: bool = Field(False, description="The signed-in member may vote in it now (electronic, open, present)")
    has_voted: bool = Field(False, description="The signed-in member has voted in it")


class VoteOpenIn(Schema):
    matter: TextIn = Field(..., min_length=1, max_length=500)
    method: VoteMethod = VoteMethod.SHOW_OF_HANDS
    is_secret: bool = False
    probationary_members_vote: bool = Field(False, description="Only for a consultative vote (Điều lệ Đảng, Điều 5)")
    passing_rule: PassingRule = PassingRule.MAJORITY_OF_ROLL


class VoteCloseIn(Schema):
    count_for: Int64 | None = Field(None, ge=0, description="A show of hands: the counts; electronic: leave out")
    count_against: Int64 | None = Field(None, ge=0)
    count_abstain: Int64 | None = Field(None, ge=0)


class BallotIn(Schema):
    vote_id: Int64
    choice: VoteChoice
    cast_at: datetime.datetime | None = Field(
        None, description="The device's time when the member voted; a ballot sent late (kept offline) is refused"
    )


class BallotOut(Schema):
    vote_id: int
    has_voted: bool


@router.get(
    "/{int:meeting_id}/votes",
    response={200: list[VoteOut], **READ_ERRORS, 403: WRITE_ERRORS[403]},
    summary="The meeting's votes and, once closed, their results",
)
def vote_list(request, meeting_id: Int64):
    meeting = _meeting_with_comments(request, meeting_id)
    rows = selectors.vote_rows(actor=request.auth, meeting=meeting)
    return [{**VoteOut.from_orm(row.vote).dict(), "may_vote": row.may_vote, "has_voted": row.has_voted} for row in rows]


@router.post("/{int:meeting_id}/votes", response={201: VoteOut, **WRITE_ERRORS}, summary="Open a vote")
def vote_open(request, meeting_id: Int64, payload: VoteOpenIn):
    """Once the meeting has started and more than half of the official members with a vote are present."""
    meeting = selectors.meeting_get(actor=request.auth, pk=meeting_id)
    return Status(201, services.vote_open(actor=request.auth, meeting=meeting, **payload.dict()))


@router.post("/votes/{int:vote_id}/close", response={200: VoteOut, **WRITE_ERRORS}, summary="Close a vote")
def vote_close(request, vote_id: Int64, payload: VoteCloseIn):
    """Freezes the counts and the result, and writes it into the minutes; a closed vote never changes."""
    vote = selectors.vote_get(actor=request.auth, pk=vote_id)
    return services.vote_close(actor=request.auth, vote=vote, **payload.dict())


@router.post("/ballot", response={200: BallotOut, **WRITE_ERRORS}, summary="Vote in an electronic vote")
def ballot(request, payload: BallotIn):
    """The signed-in member, present at the meeting, votes once while the vote is open. Voting needs a connection:
    a ballot whose `cast_at` is older than a minute or two was kept offline, and is refused."""
    vote = selectors.vote_get(actor=request.auth, pk=payload.vote_id)
    services.ballot_cast(user=request.auth, vote=vote, choice=payload.choice, cast_at=payload.cast_at)
    return {"vote_id": vote.pk, "has_voted": True}
