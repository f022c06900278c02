from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answered and published")
    # A context of its own: a closed unit is "giải thể" (dissolved), a closed question is "đã đóng".
    CLOSED = "closed", pgettext_lazy("question state", "Closed")


class Addressee(models.TextChoices):
    """Whom a member addresses: their own cell's committee or the commune committee above it."""

    CELL = "cell", _("My cell")
    COMMUNE = "commune", _("The commune party committee")


# A question still waiting for its answerers.
WAITING_STATES = frozenset({QuestionState.OPEN})
# The member sees these as "open" on their home: not yet settled.
OPEN_STATES = frozenset({QuestionState.OPEN, QuestionState.ANSWERED})
