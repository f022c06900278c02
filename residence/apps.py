from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "residence"
    verbose_name = _("Registration where members live")
