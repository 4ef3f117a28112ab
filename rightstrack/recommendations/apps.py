from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from rightstrack.jobs.registry import register

        from .imports.jobs import IMPORT_JOB_KIND

        register(IMPORT_JOB_KIND)
