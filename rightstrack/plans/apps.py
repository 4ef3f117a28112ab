from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "rightstrack.plans"
    verbose_name = _("Action plans")

    def ready(self):
        from rightstrack.recommendations.extensions import registered

        from .statuses import IMPLEMENTATION_STATUS_HOOKS

        registered.implementation_status = IMPLEMENTATION_STATUS_HOOKS
