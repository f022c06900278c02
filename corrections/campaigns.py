"""The "confirm your place of activity" campaign: writes and reads.

Answers that disagree become correction requests of the cell (routed like any other); a yes is also a
verification of the place-of-activity section.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import published_above_q, require_unit_permission, units_q
from audit.services import model_create
from common.collation import sorted_vietnamese
from common.dates import today
from members.models import Member
from members.selectors import current_member_counts
from orgunits.models import Unit

from .choices import Section
from .models import CampaignAnswer, ConfirmationCampaign
from .services import correction_request_create, record_verify, require_can_act_for_member


@transaction.atomic
def campaign_create(
    *, actor: User, unit: Unit, title: str, starts_on: datetime.date, ends_on: datetime.date
) -> ConfirmationCampaign:
    """Open a campaign asking the members of `unit`'s subtree to confirm their cell; written to the change log."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    campaign = ConfirmationCampaign(
        unit=unit, title=title.strip(), starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    if starts_on > ends_on:
        raise ValidationError({"ends_on": _("The campaign ends before it starts.")})
    return model_create(campaign, actor=actor, unit=unit)


@transaction.atomic
def campaign_answer(
    *, actor: User, campaign: ConfirmationCampaign, member: Member, cell: Unit | None = None, reason: str = ""
) -> CampaignAnswer:
    """Yes (`cell` empty or the member's own cell) or no, my cell is `cell` (a correction request is opened)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    require_can_act_for_member(actor, member)
    if not member.unit.path.startswith(campaign.unit.path):
        raise PermissionDenied(_("This campaign is not for this member."))
    if not campaign.starts_on <= today() <= campaign.ends_on:
        raise ValidationError(_("This campaign is not open."))
    if CampaignAnswer.objects.filter(campaign=campaign, member=member).exists():
        raise ValidationError(_("This member has already answered."))
    is_confirmed = cell is None or cell.pk == member.unit_id
    request = None
    if is_confirmed:
        record_verify(actor=actor, member=member, sections=[Section.PLACE_OF_ACTIVITY])
    else:
        [request] = correction_request_create(
            actor=actor,
            member=member,
            changes={"unit": cell},
            reason=reason or _("Answer to the campaign “%(title)s”.") % {"title": campaign.title},
        )
    try:
        with transaction.atomic():
            return CampaignAnswer.objects.create(
                campaign=campaign,
                member=member,
                unit=member.unit,
                is_confirmed=is_confirmed,
                correction_request=request,
                answered_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(_("This member has already answered.")) from error


def campaigns_visible_to(actor: User) -> QuerySet[ConfirmationCampaign]:
    return ConfirmationCampaign.objects.filter(units_q(actor, Permission.MEMBER_VIEW, via="unit__")).select_related(
        "unit"
    )


def campaign_get(*, actor: User, pk: int) -> ConfirmationCampaign:
    return get_object_or_404(campaigns_visible_to(actor), pk=pk)


def open_campaigns_for(member: Member) -> list[ConfirmationCampaign]:
    """Open campaigns covering the member's cell that the member has not answered yet."""
    day = today()
    return list(
        ConfirmationCampaign.objects.filter(published_above_q([member.unit.path]), starts_on__lte=day, ends_on__gte=day)
        .exclude(answers__member=member)
        .order_by("ends_on")
    )


def campaign_progress(campaign: ConfirmationCampaign, *, actor: User) -> list[dict]:
    """Per child unit of the campaign's committee (or the committee itself when it has none):
    current members, answers, confirmations and the confirmed share. Three queries, however many children."""
    children = sorted_vietnamese(
        Unit.objects.filter(units_q(actor, Permission.MEMBER_VIEW)).filter(
            path__startswith=campaign.unit.path, depth=campaign.unit.depth + 1
        ),
        key=lambda child: child.name,
    ) or [campaign.unit]
    counts = current_member_counts(children)
    length = len(children[0].path)
    rows = (
        CampaignAnswer.objects.filter(campaign=campaign)
        .annotate(prefix=Substr("unit__path", 1, length))
        .values("prefix")
        .annotate(answers=Count("id"), confirmed=Count("id", filter=Q(is_confirmed=True)))
    )
    by_prefix = {row["prefix"]: row for row in rows}
    progress = []
    for unit in children:
        row = by_prefix.get(unit.path, {"answers": 0, "confirmed": 0})
        members = counts[unit.pk]
        progress.append(
            {
                "unit": unit,
                "members": members,
                "answers": row["answers"],
                "confirmed": row["confirmed"],
                "confirmed_share": row["confirmed"] / members if members else None,
            }
        )
    return progress
