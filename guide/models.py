"""The procedure guide: entries a committee writes for its subtree, each a procedure with its steps and the forms
it needs, searched without diacritics like the library."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import BoundedTextField

from .choices import Topic


class GuideEntry(models.Model):
    unit = models.ForeignKey("orgunits.Unit", verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = BoundedTextField(_("in short"), blank=True)
    # One step per line, in order; one form per line.
    steps = BoundedTextField(_("steps, one per line"))
    forms_needed = BoundedTextField(_("forms and papers, one per line"), blank=True)
    search_text = models.TextField(editable=False, default="")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    AUDIT_EXCLUDE = ("search_text",)

    class Meta:
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        ordering = ["topic", "title", "id"]
        indexes = [models.Index(fields=["unit", "topic"], name="guideentry_unit_topic")]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def form_list(self) -> list[str]:
        return [line.strip() for line in self.forms_needed.splitlines() if line.strip()]
