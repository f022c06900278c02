from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "study"
    verbose_name = _("Study")
