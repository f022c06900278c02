from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official transfer")
    # A stay of 3 months to under a year: the home cell keeps the record and the member comes back.
    TEMPORARY = "temporary", _("Temporary transfer")


class Route(models.TextChoices):
    WITHIN_COMMUNE = "within_commune", _("Within the commune's party organisation")
    BETWEEN_COMMUNES = "between_communes", _("To another commune of the province")
    BETWEEN_PROVINCES = "between_provinces", _("To another province")
    # The receiving party organisation does not use Sổ tay: the transfer ends with the letter.
    OUT_OF_COVERAGE = "out_of_coverage", _("To a party organisation outside Sổ tay")
    # Received from a letter issued outside Sổ tay.
    FROM_OUTSIDE = "from_outside", _("From a party organisation outside Sổ tay")


class Stage(models.TextChoices):
    APPLIED = "applied", _("Waiting for the committee's decision")
    ISSUED = "issued", _("Letter issued, waiting for the receiving cell")
    RECEIVED = "received", _("Received by the new cell")
    DEPARTED = "departed", _("Transferred out of Sổ tay")
    RETURNED = "returned", _("Returned to the home cell")
    REFUSED = "refused", _("Refused by the committee")
    CANCELLED = "cancelled", _("Cancelled")


# A member has at most one transfer in these stages (a temporary one stays open until the member returns).
OPEN_STAGES = (Stage.APPLIED, Stage.ISSUED)


class LetterCheck(models.TextChoices):
    """What the check page says of a scanned letter: whether it is genuine, and whether it still stands."""

    GENUINE = "genuine", _("Genuine")  # issued, waiting to be presented (or presented outside Sổ tay)
    USED = "used", _("Used")  # the member was received, or the stay ended
    CANCELLED = "cancelled", _("Cancelled")
    FORGED = "forged", _("Not genuine")
