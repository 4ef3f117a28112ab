from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "rightstrack.jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        from .files import CLEANUP_JOB_KIND, CLEANUP_PERIODIC
        from .registry import register, register_periodic
        from .statistics import STATISTICS_JOB_KIND, STATISTICS_PERIODIC

        register(CLEANUP_JOB_KIND)
        register_periodic(CLEANUP_PERIODIC)
        register(STATISTICS_JOB_KIND)
        register_periodic(STATISTICS_PERIODIC)
