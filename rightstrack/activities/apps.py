from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "rightstrack.activities"
    verbose_name = _("Activities")

    def ready(self):
        from . import hooks

        hooks.register()
