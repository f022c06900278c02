from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    """Who decides a correction of a field (phân cấp): the policy table gives one route per field."""

    MEMBER = "member", _("Applied at once by the member")
    CELL_THEN_COMMUNE = "cell_then_commune", _("Cell secretary confirms, commune committee decides")
    COMMUNE = "commune", _("Commune committee decides")
    COMMUNE_THEN_PROVINCE = "commune_then_province", _("Commune committee forwards, provincial department decides")


class Level(models.TextChoices):
    """The level whose queue a request is waiting in."""

    CELL = "cell", _("Cell")
    COMMUNE = "commune", _("Commune committee")
    PROVINCE = "province", _("Provincial organisation department")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed by the cell")
    FORWARDED = "forwarded", _("Forwarded to the province")
    CONFLICT = "conflict", _("Record changed since the request: to decide again")
    TRANSFER = "transfer", _("Transfer case between communes")
    APPLIED = "applied", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")


OPEN_STATES = frozenset(
    {
        RequestState.SUBMITTED,
        RequestState.CONFIRMED,
        RequestState.FORWARDED,
        RequestState.CONFLICT,
        RequestState.TRANSFER,
    }
)
DECIDED_STATES = frozenset({RequestState.APPLIED, RequestState.REJECTED})


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPLIED_AT_ONCE = "applied_at_once", _("Applied at once")
    CONFIRMED = "confirmed", _("Confirmed by the cell")
    FORWARDED = "forwarded", _("Forwarded to the province")
    CONFLICT = "conflict", _("Conflict found")
    TRANSFER = "transfer", _("Became a transfer case")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")
    ESCALATED = "escalated", _("Escalated: overdue")


# The decisions the member is told about, with their reason.
DECISION_EVENTS = frozenset({EventKind.APPLIED_AT_ONCE, EventKind.APPROVED, EventKind.REJECTED, EventKind.CONFLICT})


class Decision(models.TextChoices):
    CONFIRM = "confirm", _("Confirm")
    FORWARD = "forward", _("Forward to the province")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class Section(models.TextChoices):
    """The parts of the record a member checks one by one (members.fields.RECORD_SECTIONS, in order)."""

    IDENTITY = "identity", _("Identity")
    PARTY_HISTORY = "party_history", _("Party history")
    PLACE_OF_ACTIVITY = "place_of_activity", _("Place of activity")
    CONTACT = "contact", _("Contact")
    EDUCATION_AND_WORK = "education_and_work", _("Education and work")
