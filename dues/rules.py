"""How much a member owes for a month, from the rules kept as data (DuesRate, MinimumWage) and the member's basis
and exemptions.

Sources (the rates themselves are rows, seeded by the first migration and changed as data):
- Quy định 01-QĐ/TW of 3 February 2026 on party dues, in force from 1 February 2026, as reported on
  baophutho.vn, dantri.com.vn, thanhnien.vn and vietnamnet.vn (6-8 February 2026) and thuvienphapluat.vn:
  Điều 3: 1 % of the salary used for compulsory social insurance (of the month before); 0.5 % of the pension;
  students 5,000 đ a month; not insured and no pension: 0.3 % of the regional monthly minimum wage under
  retirement age, 0.2 % from retirement age (2026-2027; 0.5 % and 0.3 % from 1 January 2028).
  Điều 5: exempt from 50 years of party age, receiving the social retirement allowance, poor or near-poor
  households, serious illness; other hardship on application: 30, 50 or 70 % less, or exempt, for at most
  12 months at a time. Paying more than the rules ask is encouraged.
- Nghị định 293/2025/NĐ-CP: the regional monthly minimum wages from 1 January 2026.

Rounding: every computed amount is rounded to the whole đồng, halves up (ROUND_HALF_UP), once for the rate and
once more for a partial reduction. A voluntary amount higher than the result replaces it.
"""

import bisect
import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from .choices import EXEMPT_PARTY_AGE_YEARS, MINIMUM_WAGE_BASES, PERCENT_OF_AMOUNT_BASES, DuesBasis
from .models import DuesExemption, DuesProfile, DuesRate, MinimumWage

HUNDRED = Decimal(100)
ONE_DONG = Decimal(1)


def whole_dong(amount: Decimal) -> Decimal:
    return amount.quantize(ONE_DONG, rounding=ROUND_HALF_UP)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def reaches_party_age(joined_on: datetime.date, month: datetime.date) -> bool:
    """Fifty years of party age by the first day of `month`: the month after the anniversary is the first free
    one (a member joined on 15 March 1976 pays for March 2026, not for April)."""
    try:
        anniversary = joined_on.replace(year=joined_on.year + EXEMPT_PARTY_AGE_YEARS)
    except ValueError:  # 29 February
        anniversary = datetime.date(joined_on.year + EXEMPT_PARTY_AGE_YEARS, 3, 1)
    return anniversary < month


class _Dated:
    """Rows valid from a date, for one key: the row in force on a day."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda row: row.valid_from)
        self.dates = [row.valid_from for row in self.rows]

    def on(self, day: datetime.date):
        index = bisect.bisect_right(self.dates, day)
        return self.rows[index - 1] if index else None


@dataclasses.dataclass
class DuesRules:
    """The rates and minimum wages, read once for a page or a batch."""

    rates: dict[str, _Dated]
    wages: dict[int, _Dated]

    @classmethod
    def load(cls) -> "DuesRules":
        rates: dict[str, list] = {}
        for rate in DuesRate.objects.all():
            rates.setdefault(rate.basis, []).append(rate)
        wages: dict[int, list] = {}
        for wage in MinimumWage.objects.all():
            wages.setdefault(wage.region, []).append(wage)
        return cls(
            rates={basis: _Dated(rows) for basis, rows in rates.items()},
            wages={region: _Dated(rows) for region, rows in wages.items()},
        )

    def rate_on(self, basis: str, month: datetime.date) -> DuesRate | None:
        dated = self.rates.get(basis)
        return dated.on(month) if dated else None

    def minimum_wage_on(self, region: int | None, month: datetime.date) -> Decimal | None:
        dated = self.wages.get(region)
        wage = dated.on(month) if dated else None
        return wage.amount if wage else None

    def rule_amount(self, profile: DuesProfile, month: datetime.date) -> Decimal | None:
        """What the rules ask of `profile` for `month`, before exemptions; None when no rule applies or a figure
        is missing (no salary recorded, no region)."""
        if profile.basis == DuesBasis.OTHER:
            return profile.fixed_amount
        rate = self.rate_on(profile.basis, month)
        if rate is None:
            return None
        if rate.fixed_amount is not None:
            return rate.fixed_amount
        if profile.basis in PERCENT_OF_AMOUNT_BASES:
            base = profile.amount
        elif profile.basis in MINIMUM_WAGE_BASES:
            base = self.minimum_wage_on(profile.wage_region, month)
        else:
            base = None
        if base is None:
            return None
        return whole_dong(base * rate.percent / HUNDRED)

    def due(
        self,
        *,
        month: datetime.date,
        joined_on: datetime.date,
        profile: DuesProfile | None,
        exemptions: list[DuesExemption],
    ) -> Decimal | None:
        """The member's due for `month` (its first day): None when it cannot be reckoned (no basis recorded)."""
        reduction = max((row.reduction_percent for row in exemptions if row.covers(month)), default=0)
        amount = None if profile is None else self.rule_amount(profile, month)
        if reaches_party_age(joined_on, month) or reduction >= 100:
            amount = Decimal(0)
        elif amount is not None and reduction:
            amount = whole_dong(amount * (HUNDRED - reduction) / HUNDRED)
        if profile is not None and profile.voluntary_amount and (amount is None or profile.voluntary_amount > amount):
            return profile.voluntary_amount
        return amount


def profile_on(profiles: list[DuesProfile], month: datetime.date) -> DuesProfile | None:
    """The basis in force for `month` among one member's profiles (sorted by starts_on)."""
    current = None
    for profile in profiles:
        if profile.starts_on <= month:
            current = profile
        else:
            break
    return current
