from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "rightstrack.progress"
    verbose_name = _("Progress")

    def ready(self):
        from rightstrack.recommendations.imports.formats import register_batch_format

        from . import hooks
        from .followup import FOLLOWUP_FORMAT

        register_batch_format(FOLLOWUP_FORMAT, _("Treaty Body follow-up grades (CSV)"))
        hooks.register()
