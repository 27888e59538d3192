from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "automation"
    verbose_name = _("Scheduled briefings and alerts")

    def ready(self):
        from automation import signals  # noqa: F401 - connects the alert detectors
