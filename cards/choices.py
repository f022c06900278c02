from django.db import models
from django.utils.translation import gettext_lazy as _


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the committee's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    REPLACED = "replaced", _("Replaced by a newer photo")


class CardCheck(models.TextChoices):
    """What checking a card's QR says."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    NOT_A_MEMBER = "not_a_member", _("No longer a party member on Sổ tay")
    FORGED = "forged", _("Not a card issued by Sổ tay")
