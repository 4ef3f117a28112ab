from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "rightstrack.reports"
    verbose_name = _("Reports and open data")

    def ready(self) -> None:
        from rightstrack.jobs.registry import register

        from .jobs import REPORT_JOB_KIND

        register(REPORT_JOB_KIND)
