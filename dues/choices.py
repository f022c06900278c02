from django.db import models
from django.utils.translation import gettext_lazy as _

from members.choices import MemberStatus


class DuesBasis(models.TextChoices):
    """What a member's monthly dues are reckoned from (Quy định 01-QĐ/TW, 2026, Điều 3)."""

    # Also the sickness or maternity allowance paid by social insurance while the member is on such leave.
    SOCIAL_INSURANCE_SALARY = "social_insurance_salary", _("Salary used for social insurance")
    PENSION = "pension", _("Pension")
    STUDENT = "student", _("Student")
    # Not insured, no pension: a share of the regional minimum wage where the member is active.
    MINIMUM_WAGE_WORKING_AGE = "minimum_wage_working_age", _("No social insurance, under retirement age")
    MINIMUM_WAGE_RETIREMENT_AGE = "minimum_wage_retirement_age", _("No social insurance, retirement age or over")
    # Any other case: the cell sets a fixed monthly amount.
    OTHER = "other", _("Other (fixed monthly amount)")


# Bases reckoned as a percentage of the member's own amount (salary, pension).
PERCENT_OF_AMOUNT_BASES = frozenset({DuesBasis.SOCIAL_INSURANCE_SALARY, DuesBasis.PENSION})
# Bases reckoned as a percentage of the regional minimum wage.
MINIMUM_WAGE_BASES = frozenset({DuesBasis.MINIMUM_WAGE_WORKING_AGE, DuesBasis.MINIMUM_WAGE_RETIREMENT_AGE})


class WageRegion(models.IntegerChoices):
    """The four regions of the monthly minimum wage (Nghị định 293/2025/NĐ-CP)."""

    REGION_I = 1, _("Region I")
    REGION_II = 2, _("Region II")
    REGION_III = 3, _("Region III")
    REGION_IV = 4, _("Region IV")


class ExemptionGround(models.TextChoices):
    """Why a member pays less or nothing (Quy định 01-QĐ/TW, 2026, Điều 5). Fifty years of party age is not
    recorded: it is read from the date of joining."""

    SOCIAL_PENSION = "social_pension", _("Receives the social retirement allowance")
    POOR_HOUSEHOLD = "poor_household", _("Poor or near-poor household")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    HARDSHIP = "hardship", _("Other hardship, on the member's application")


# Grounds that exempt in full; hardship may reduce by 30, 50 or 70 % or exempt, for at most twelve months.
FULL_EXEMPTION_GROUNDS = frozenset(
    {ExemptionGround.SOCIAL_PENSION, ExemptionGround.POOR_HOUSEHOLD, ExemptionGround.SERIOUS_ILLNESS}
)
HARDSHIP_REDUCTIONS = (30, 50, 70, 100)
HARDSHIP_MONTHS_MAX = 12
# Party age from which a member pays no dues.
EXEMPT_PARTY_AGE_YEARS = 50


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class MonthState(models.TextChoices):
    PAID = "paid", _("Paid")
    PART_PAID = "part_paid", _("Partly paid")
    UNPAID = "unpaid", _("Unpaid")
    NOTHING_DUE = "nothing_due", _("Nothing due")
    # No basis recorded (or no rule yet for the month): the amount is unknown, so the month is not counted owing.
    NOT_RECKONED = "not_reckoned", _("Amount not set")


# Who pays dues to the cell: members on its roll, exempt from activities or not. A member transferred out
# temporarily pays where they are temporarily active; members who left or died pay nothing.
PAYING_STATUSES = frozenset({MemberStatus.ACTIVE, MemberStatus.EXEMPT, MemberStatus.TEMPORARILY_EXEMPT})
# Months unpaid without reason in one calendar year that are a ground for striking off (01-QĐ/TW, Điều 2).
UNPAID_MONTHS_LIMIT = 3
