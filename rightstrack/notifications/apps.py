from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "rightstrack.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from rightstrack.jobs.registry import register, register_periodic

        from .jobs import DIGEST_JOB_KIND, DIGEST_PERIODIC

        register(DIGEST_JOB_KIND)
        register_periodic(DIGEST_PERIODIC)
