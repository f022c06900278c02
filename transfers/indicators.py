"""Transfer figures for reports (common/indicators.py): for a party unit's subtree, the official transfers in and out
from 1 January of the cut-off's year to the end of that day; a move between two cells of the subtree is neither.
Out counts letters to outside Sổ tay on their day of issue, others on the receiving cell's confirmation; in counts
confirmations, letters from outside included. The late figure is today's: transfers whose stage has not moved past
its deadline as of the cut-off (a stage's past is not replayed). An administrative area has no transfers: None."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from .choices import Stage, TransferKind
from .models import Transfer


def _official_in_year(as_of: datetime.date):
    start = datetime.date(as_of.year, 1, 1)
    return Transfer.objects.filter(kind=TransferKind.OFFICIAL).filter(
        Q(stage=Stage.RECEIVED, received_on__gte=start, received_on__lte=as_of)
        | Q(stage=Stage.DEPARTED, issued_on__gte=start, issued_on__lte=as_of)
    )


def _out(target, as_of):
    if not isinstance(target, Unit):
        return None
    inside = Q(to_unit__path__startswith=target.path)
    return _official_in_year(as_of).filter(from_unit__path__startswith=target.path).exclude(inside).count()


def _in(target, as_of):
    if not isinstance(target, Unit):
        return None
    rows = _official_in_year(as_of).filter(stage=Stage.RECEIVED, to_unit__path__startswith=target.path)
    return rows.exclude(from_unit__path__startswith=target.path).count()


def _late(target, as_of):
    if not isinstance(target, Unit):
        return None
    late = Q(stage=Stage.APPLIED, issue_due__lt=as_of) | Q(stage=Stage.ISSUED, present_due__lt=as_of)
    return Transfer.objects.filter(late, from_unit__path__startswith=target.path).count()


register(Indicator(key="transfers_in", label=_("Members transferred in this year"), compute=_in))
register(Indicator(key="transfers_out", label=_("Members transferred out this year"), compute=_out))
register(Indicator(key="transfers_late", label=_("Transfers past their deadline"), compute=_late))
