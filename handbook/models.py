from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DisplayPreference(models.Model):
    """How a user wants pages shown (large text, high contrast), remembered across sign-ins and devices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="display_preference",
    )
    is_large_text = models.BooleanField(_("large text"), default=False)
    is_high_contrast = models.BooleanField(_("high contrast"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    AUDIT_EXCLUDE = ("updated_at",)

    class Meta:
        verbose_name = _("display preference")
        verbose_name_plural = _("display preferences")

    def __str__(self) -> str:
        return str(self.user_id)
