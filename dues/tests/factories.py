"""Dues data for tests, written through the services."""

import datetime

from dues.services import PaymentLine, payments_record, profile_record


def pension_of(member, *, amount=6_000_000, starts_on=datetime.date(2026, 2, 1), actor=None):
    """A pensioner's basis: 0.5 % of 6,000,000 is 30,000 đ a month."""
    return profile_record(actor=actor, member=member, starts_on=starts_on, basis="pension", amount=amount)


def pay(member, month: datetime.date, amount=30_000, *, receipt="BL-1", paid_on=None, actor=None):
    (entry,) = payments_record(
        actor=actor,
        unit=member.unit,
        month=month,
        method="cash",
        paid_on=paid_on or datetime.date(2026, 12, 1),
        lines=[PaymentLine(member=member, amount=amount, receipt_number=receipt)],
    )
    return entry
