from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgunits.choices import AreaKind, OrganisationKind


class FieldKind(models.TextChoices):
    """What a field of a report template holds."""

    INDICATOR = "indicator", _("Computed from live data")
    NUMBER = "number", _("Number filled in by hand")
    TEXT = "text", _("Text filled in by hand")
    CHOICE = "choice", _("Choice from a list")


class TargetTree(models.TextChoices):
    """Which tree a campaign's targets come from."""

    UNITS = "units", _("Party units")
    AREAS = "areas", _("Villages and residential groups")
    PLACES = "places", _("Villages, residential groups and organisations")


# A campaign to areas asks villages, residential groups, or both: a ward formed from merged communes has both.
AREAS_OF_BOTH_KINDS = "village_or_group"
# A campaign to places names its kinds of target joined by this: "village,residential_group,agency,school".
PLACE_KINDS_SEPARATOR = ","
# What a campaign to places may ask: villages, residential groups, and organisations other than state offices.
PLACE_TARGET_KINDS = (
    AreaKind.VILLAGE,
    AreaKind.RESIDENTIAL_GROUP,
    OrganisationKind.AGENCY,
    OrganisationKind.SCHOOL,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.MASS_ORGANISATION,
)


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


# The filer may change the report in these states; a returned report goes back to the filer.
EDITABLE_STATES = frozenset({SubmissionState.DRAFT, SubmissionState.RETURNED})
# Counted as filed in the timeliness table and in a parent's compilation.
FILED_STATES = frozenset({SubmissionState.SUBMITTED, SubmissionState.ACCEPTED})


class EventKind(models.TextChoices):
    # Not the meetings' "Expected" (members expected to attend): a report asked for and not yet filed.
    CREATED = "created", pgettext_lazy("report event", "Expected")
    SAVED = "saved", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    COMPILED = "compiled", _("Compiled from the units below")
    REFRESHED = "refreshed", _("Computed figures refreshed")
