from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "rightstrack.jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        from .files import CLEANUP_JOB_KIND, CLEANUP_PERIODIC
        from .registry import register, register_periodic

        register(CLEANUP_JOB_KIND)
        register_periodic(CLEANUP_PERIODIC)
