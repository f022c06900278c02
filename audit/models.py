from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeSource


class ChangeLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class ChangeLog(models.Model):
    """One write to one record: who made it, when, from where, the full record before and after, and why.

    Rows are only ever added. `prechange_data`/`postchange_data` are complete snapshots, so a record
    can be read back as it stood at any instant from the last row before that instant.
    """

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=ChangeSource.choices)
    request_id = models.UUIDField(_("request"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("record"), max_length=300)
    unit = models.ForeignKey(
        "orgunits.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prechange_data = models.JSONField(null=True, blank=True)
    postchange_data = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "time"], name="changelog_object_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, in the record's field order."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = list(after) + [key for key in before if key not in after]
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]
