"""Reads of import jobs: a job is reachable by whoever may change members in the unit it imports into."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import units_q
from members.choices import ImportRowKind

from ..models import ImportJob, ImportRow, Member


def import_jobs_visible_to(actor: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(units_q(actor, Permission.MEMBER_CHANGE, via="unit__"))


def import_job_list(*, actor: User) -> QuerySet[ImportJob]:
    return import_jobs_visible_to(actor).select_related("unit", "created_by").order_by("-created_at", "-id")


def import_job_get(*, actor: User, pk: int) -> ImportJob:
    """The job, or 404 when its unit is outside the actor's scope."""
    return get_object_or_404(import_jobs_visible_to(actor).select_related("unit", "created_by"), pk=pk)


def import_job_rows(*, job: ImportJob, kind: str = "") -> QuerySet[ImportRow]:
    rows = job.rows.all()
    if kind in ImportRowKind.values:
        rows = rows.filter(kind=kind)
    return rows.select_related("member").order_by("row_number", "id")


def import_row_get(*, actor: User, job_pk: int, row_pk: int) -> ImportRow:
    """A row of a job the actor may see, or 404."""
    job = import_job_get(actor=actor, pk=job_pk)
    return get_object_or_404(job.rows.select_related("job"), pk=row_pk)


def import_job_members(*, job: ImportJob) -> QuerySet[Member]:
    """The members an applied job created or changed: new rows by their card number or citizen ID (the commit
    does not link them back), changed rows by the member they matched."""
    rows = job.rows.filter(kind__in=[ImportRowKind.NEW, ImportRowKind.CHANGED], pk__lte=job.applied_through)
    member_ids, cards, citizens = set(), set(), set()
    for member_id, card, citizen in rows.values_list("member_id", "data__card_number", "data__citizen_id"):
        if member_id:
            member_ids.add(member_id)
        if card:
            cards.add(card)
        if citizen:
            citizens.add(citizen)
    found = Q(pk__in=member_ids) | Q(card_number__in=cards) | Q(citizen_id__in=citizens)
    return Member.objects.filter(found).select_related("unit", "user")
