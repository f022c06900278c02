from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and synthetic data: no models, above every other app (it tells each app's part of the demo story)."""

    name = "demo"
    verbose_name = _("Demo data")
