"""Dues figures for reports (common/indicators.py), for a party unit's subtree:

- dues_collected: the đồng recorded in the cells' ledgers (payments less reversals) with a payment date from
  1 January of the cut-off's year to the end of that day: exact as of a past date, since entries are never changed;
- dues_members_in_arrears: members on the roll with three or more months of that year over and unpaid, as the
  ledger stands now (a payment recorded after the cut-off counts as paid).
An administrative area keeps no ledger: None."""

import datetime

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from common.indicators import Indicator, register
from orgunits.models import Unit

from .models import LedgerEntry
from .selectors import arrears


def _collected(target, as_of):
    if not isinstance(target, Unit):
        return None
    total = LedgerEntry.objects.filter(
        unit__path__startswith=target.path, paid_on__gte=datetime.date(as_of.year, 1, 1), paid_on__lte=as_of
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def _in_arrears(target, as_of):
    if not isinstance(target, Unit):
        return None
    return len(arrears(unit=target, year=as_of.year, today=as_of))


register(Indicator(key="dues_collected", label=_("Party dues collected this year (đồng)"), compute=_collected))
register(
    Indicator(
        key="dues_members_in_arrears",
        label=_("Members with three or more months of dues unpaid this year"),
        compute=_in_arrears,
    )
)
