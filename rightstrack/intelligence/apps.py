from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "rightstrack.intelligence"
    verbose_name = _("Suggestions and similarity")

    def ready(self):
        from . import hooks

        hooks.register()
