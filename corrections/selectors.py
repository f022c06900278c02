"""Reads of the correction workflow, always narrowed through accounts.scoping."""

import datetime
import statistics

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import units_q
from members.models import Member
from members.selectors import active_members_in_subtree
from orgunits.models import Unit

from .choices import DECISION_EVENTS, OPEN_STATES, RequestState, Section
from .models import Attachment, CorrectionEvent, CorrectionRequest, SectionVerification


def requests_visible_to(actor: User) -> QuerySet[CorrectionRequest]:
    """The member's own requests, the ones the actor opened, and those of members in the actor's scope
    (a transfer case is seen by the receiving commune too)."""
    if not actor.is_authenticated:
        return CorrectionRequest.objects.none()
    condition = (
        Q(requested_by=actor)
        | units_q(actor, Permission.MEMBER_VIEW, via="member__unit__")
        | Q(is_transfer=True) & units_q(actor, Permission.MEMBER_VIEW, via="target_unit__")
    )
    if actor.member_id:
        condition |= Q(member_id=actor.member_id)
    return CorrectionRequest.objects.filter(condition)


def request_get(*, actor: User, pk: int) -> CorrectionRequest:
    return get_object_or_404(
        requests_visible_to(actor).select_related(
            "member__unit", "assigned_unit", "target_unit", "requested_by", "decided_by", "change_log"
        ),
        pk=pk,
    )


def queue(
    *, actor: User, state: str = "", field: str = "", overdue: bool = False, day: datetime.date | None = None
) -> QuerySet[CorrectionRequest]:
    """Open requests waiting for a unit in the actor's scope (`member.change` on it or above),
    and transfer cases arriving in it."""
    requests = CorrectionRequest.objects.filter(
        units_q(actor, Permission.MEMBER_CHANGE, via="assigned_unit__")
        | Q(is_transfer=True) & units_q(actor, Permission.MEMBER_CHANGE, via="target_unit__")
    )
    requests = requests.filter(state=state) if state else requests.filter(state__in=OPEN_STATES)
    if field:
        requests = requests.filter(field_name=field)
    if overdue and day is not None:
        requests = requests.filter(due_on__lt=day, state__in=OPEN_STATES)
    return requests.select_related("member__unit", "assigned_unit", "target_unit").order_by("due_on", "id")


def member_requests(*, member: Member) -> list[CorrectionRequest]:
    return list(
        CorrectionRequest.objects.filter(member=member)
        .select_related("assigned_unit", "target_unit", "decided_by")
        .order_by("-created_at", "-id")
    )


def member_notifications(*, member: Member) -> list[CorrectionEvent]:
    """The decisions on the member's requests, newest first: the in-app list of what was decided and why."""
    return list(
        CorrectionEvent.objects.filter(request__member=member, kind__in=DECISION_EVENTS)
        .select_related("request")
        .order_by("-at", "-id")[:50]
    )


def last_verified(*, member: Member) -> dict[str, datetime.date]:
    """The last date each section was said to be correct."""
    dates: dict[str, datetime.date] = {}
    for section, day in SectionVerification.objects.filter(member=member).values_list("section", "verified_on"):
        if section not in dates or day > dates[section]:
            dates[section] = day
    return dates


def attachment_get(*, actor: User, pk: int) -> Attachment:
    """A paper for the member themself, whoever uploaded it, and the officials who decide on the member."""
    if not actor.is_authenticated:
        raise Http404
    condition = Q(uploaded_by=actor) | units_q(actor, Permission.MEMBER_CHANGE, via="member__unit__")
    if actor.member_id:
        condition |= Q(member_id=actor.member_id)
    return get_object_or_404(Attachment.objects.filter(condition), pk=pk)


def applied_corrections(
    *, actor: User, unit: Unit, start: datetime.date, end: datetime.date
) -> QuerySet[CorrectionRequest]:
    """Approved and applied corrections of members now in `unit`'s subtree, decided between two dates (inclusive)."""
    return (
        CorrectionRequest.objects.filter(units_q(actor, Permission.MEMBER_VIEW, via="member__unit__"))
        .filter(
            member__unit__path__startswith=unit.path,
            state=RequestState.APPLIED,
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .select_related("member", "decided_by")
        .order_by("decided_at", "id")
    )


def unit_figures(*, unit: Unit, day: datetime.date) -> dict:
    """Figures for a unit's subtree: share of members who verified every section, requests by field and
    state, median days to a decision, overdue requests. A fixed number of queries."""
    members = active_members_in_subtree(unit)
    total = members.count()
    verified = (
        SectionVerification.objects.filter(member__in=members)
        .values("member")
        .annotate(sections=Count("section", distinct=True))
        .filter(sections=len(Section.values))
        .count()
    )
    requests = CorrectionRequest.objects.filter(member__unit__path__startswith=unit.path)
    by_field_state = list(
        requests.values("field_name", "state").annotate(total=Count("id")).order_by("field_name", "state")
    )
    durations = [
        (decided - created).total_seconds() / 86400
        for created, decided in requests.filter(decided_at__isnull=False)
        .exclude(state=RequestState.APPLIED, route="member")
        .values_list("created_at", "decided_at")
    ]
    return {
        "members": total,
        "verified": verified,
        "verified_share": (verified / total) if total else None,
        "by_field_state": by_field_state,
        "median_days": statistics.median(durations) if durations else None,
        "decided": len(durations),
        "overdue": requests.filter(state__in=OPEN_STATES, due_on__lt=day).count(),
        "open": requests.filter(state__in=OPEN_STATES).count(),
    }
