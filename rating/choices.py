from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The four grades of a party member's yearly quality rating (Quy định 366-QĐ/TW, 2025, as 124-QĐ/TW before it)."""

    EXCELLENT = "excellent", _("Completed duties excellently")
    GOOD = "good", _("Completed duties well")
    COMPLETED = "completed", _("Completed duties")
    NOT_COMPLETED = "not_completed", _("Did not complete duties")


# Best first: a grade's place in this order compares grades.
GRADE_ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED)


class Stage(models.TextChoices):
    WAITING = "waiting", _("Waiting for the self-review")
    SELF_REVIEWED = "self_reviewed", _("Self-review filed")
    CELL_PROPOSED = "cell_proposed", _("Grade proposed by the cell")
    DECIDED = "decided", _("Grade decided by the committee")
    EXCLUDED = "excluded", _("Not rated")
