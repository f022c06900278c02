from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    TOPIC = "topic", _("Topic of the month")
    DOCUMENTS = "documents", _("Documents of the library")


class StudyState(models.TextChoices):
    """Where a member stands on an assignment, from their progress row (none: not started)."""

    NOT_STARTED = "not_started", _("Not started")
    STUDYING = "studying", _("Studying")
    STUDIED = "studied", _("Studied")
    PASSED = "passed", _("Passed the quiz")


# The step of an assignment that is its own text (the others are its documents, "doc-<id>").
TEXT_STEP = "text"
# A question's answers are lettered A, B, …: on the page, in the question bank's columns and in the review.
ANSWER_LETTERS = "ABCDEF"
MAX_CHOICES = len(ANSWER_LETTERS)
MAX_QUESTIONS = 100
