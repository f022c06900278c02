from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import Addressee, QuestionState


class Question(models.Model):
    """A member's question to their cell or commune committee, its answer, and its anonymised FAQ version.

    The asker is kept on the question itself; the FAQ only ever shows `faq_question` and `faq_answer`,
    texts the answerer may edit to remove personal details before publishing.
    """

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="questions"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="questions"
    )
    addressee = models.CharField(_("addressed to"), max_length=16, choices=Addressee.choices)
    # The unit whose answerers (question.answer on it or above) receive the question.
    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="questions"
    )
    text = BoundedTextField(_("question"), max_length=4000)
    # The asker's consent: the question may be published in the FAQ, never with their name.
    may_publish = models.BooleanField(_("may be published without my name"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=QuestionState.choices, default=QuestionState.OPEN)

    answer = BoundedTextField(_("answer"), max_length=8000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    faq_question = BoundedTextField(_("published question"), max_length=4000, blank=True)
    faq_answer = BoundedTextField(_("published answer"), max_length=8000, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"], name="question_unit_state"),
            models.Index(fields=["asker", "state"], name="question_asker_state"),
        ]

    def __str__(self) -> str:
        return _("Question #%(number)s") % {"number": self.pk}
