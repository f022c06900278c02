"""Party dues: the rules as data (rates, minimum wages, the shares each level keeps), each member's basis and
exemptions, and each cell's monthly ledger.

Money is in whole đồng, as Decimal with no decimal places: no float anywhere. The ledger is append-only: a
payment recorded wrongly is reversed by an entry of the opposite amount and recorded again; nothing is changed
or deleted.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgunits.choices import UnitKind

from .choices import DuesBasis, EntryKind, ExemptionGround, PaymentMethod, WageRegion

MONEY_DIGITS = 14


def money_field(verbose_name, **options):
    """A sum in whole đồng."""
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=0, validators=[MinValueValidator(0)], **options
    )


def percent_field(verbose_name, **options):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **options,
    )


class DuesRate(models.Model):
    """One line of the dues rules: for a basis, from a month on, a percentage (of the member's amount, or of the
    regional minimum wage) or a fixed monthly amount. A new rule is a new row from a later date."""

    basis = models.CharField(_("dues basis"), max_length=32, choices=DuesBasis.choices)
    valid_from = models.DateField(_("valid from"))
    percent = percent_field(_("percentage"), null=True, blank=True)
    fixed_amount = money_field(_("fixed monthly amount"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        ordering = ["basis", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "valid_from"], name="one_dues_rate_per_basis_date"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) ^ Q(fixed_amount__isnull=True), name="dues_rate_percent_or_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basis} {self.valid_from}"


class MinimumWage(models.Model):
    """The monthly minimum wage of a region from a date on."""

    region = models.PositiveSmallIntegerField(_("region"), choices=WageRegion.choices)
    valid_from = models.DateField(_("valid from"))
    amount = money_field(_("amount"))
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        verbose_name = _("regional minimum wage")
        verbose_name_plural = _("regional minimum wages")
        ordering = ["region", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="one_minimum_wage_per_date")]

    def __str__(self) -> str:
        return f"{self.region} {self.valid_from}: {self.amount}"


class DuesShare(models.Model):
    """The share of the dues collected in its subtree that a unit of this kind passes up to the level above (the
    rest it keeps). A kind without a row passes nothing up."""

    unit_kind = models.CharField(_("unit kind"), max_length=32, choices=UnitKind.choices)
    valid_from = models.DateField(_("valid from"))
    upward_percent = percent_field(_("share passed upward"))
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        verbose_name = _("dues share")
        verbose_name_plural = _("dues shares")
        ordering = ["unit_kind", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["unit_kind", "valid_from"], name="one_dues_share_per_date")]

    def __str__(self) -> str:
        return f"{self.unit_kind} {self.valid_from}: {self.upward_percent}"


class DuesProfile(models.Model):
    """A member's dues basis from a month on, as the member reported it to the cell. A change is a new row from a
    later month: the months before keep the basis they had."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_profiles")
    starts_on = models.DateField(_("from the month of"))
    basis = models.CharField(_("dues basis"), max_length=32, choices=DuesBasis.choices)
    # The salary used for social insurance, or the pension.
    amount = money_field(_("monthly salary or pension"), null=True, blank=True)
    wage_region = models.PositiveSmallIntegerField(
        _("minimum wage region"), choices=WageRegion.choices, null=True, blank=True
    )
    # DuesBasis.OTHER: the amount the cell set.
    fixed_amount = money_field(_("fixed monthly amount"), null=True, blank=True)
    # A member may pay more than the rules ask: this amount, when higher, is what is due.
    voluntary_amount = money_field(_("voluntary monthly amount"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dues basis of a member")
        verbose_name_plural = _("dues bases of members")
        ordering = ["member", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["member", "starts_on"], name="one_dues_profile_per_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.starts_on:%m/%Y}: {self.basis}"


class DuesExemption(models.Model):
    """A member exempted from dues, or paying less, for a ground and a period (months inclusive)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_exemptions")
    ground = models.CharField(_("ground"), max_length=32, choices=ExemptionGround.choices)
    # 100: nothing to pay; 30, 50 or 70: that share of the due is waived.
    reduction_percent = models.PositiveSmallIntegerField(
        _("reduction (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    starts_on = models.DateField(_("from the month of"))
    ends_on = models.DateField(_("until the month of"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dues exemption")
        verbose_name_plural = _("dues exemptions")
        ordering = ["member", "starts_on"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.ground} {self.reduction_percent}%"

    def covers(self, month) -> bool:
        return self.starts_on <= month and (self.ends_on is None or month <= self.ends_on)


class LedgerEntry(models.Model):
    """One line of a cell's dues ledger: a member's payment for a month, or the reversal of one. Written once,
    never changed, never deleted."""

    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_entries")
    # The first day of the month paid for.
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices, default=EntryKind.PAYMENT)
    # Positive for a payment, negative for a reversal.
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=0)
    method = models.CharField(_("paid by"), max_length=16, choices=PaymentMethod.choices)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    paid_on = models.DateField(_("paid on"))
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("reverses")
    )
    # A payment recorded again after the reversal of a wrong one.
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("replaces")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dues ledger entry")
        verbose_name_plural = _("dues ledger entries")
        ordering = ["month", "id"]
        indexes = [
            models.Index(fields=["unit", "month"], name="dues_entry_unit_month"),
            models.Index(fields=["member", "month"], name="dues_entry_member_month"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.PAYMENT, amount__gt=0, reverses__isnull=True))
                | Q(kind=EntryKind.REVERSAL, amount__lt=0, reverses__isnull=False),
                name="dues_entry_payment_positive_reversal_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%m/%Y}: {self.amount}"


class ArrearsReason(models.Model):
    """Why a member did not pay in a year, as the cell recorded it (shown on the committee's worklist). A newer
    row supersedes an older one; none is changed."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reason for unpaid dues")
        verbose_name_plural = _("reasons for unpaid dues")
        ordering = ["member", "year", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class CellBankAccount(models.Model):
    """The bank account a cell collects dues on: what its VietQR codes pay into."""

    unit = models.OneToOneField(
        "orgunits.Unit", verbose_name=_("cell"), on_delete=models.PROTECT, related_name="dues_bank_account"
    )
    # The bank's NAPAS BIN (6 digits), e.g. 970436 for Vietcombank.
    bank_bin = models.CharField(
        _("bank BIN"), max_length=6, validators=[RegexValidator(r"^\d{6}$", _("A bank BIN has 6 digits."))]
    )
    account_number = models.CharField(
        _("account number"),
        max_length=19,
        validators=[RegexValidator(r"^[0-9A-Za-z]{1,19}$", _("An account number has at most 19 letters or digits."))],
    )
    account_name = models.CharField(_("account holder"), max_length=100)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dues bank account")
        verbose_name_plural = _("dues bank accounts")

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
