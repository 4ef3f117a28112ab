from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "rightstrack.plans"
    verbose_name = _("Action plans")

    def ready(self):
        from rightstrack.jobs.registry import register
        from rightstrack.recommendations.extensions import registered
        from rightstrack.recommendations.imports.formats import register_batch_format

        from .imports import PLAN_FORMAT
        from .imports.jobs import PLAN_IMPORT_JOB, PLAN_IMPORT_JOB_KIND
        from .statuses import IMPLEMENTATION_STATUS_HOOKS

        registered.implementation_status = IMPLEMENTATION_STATUS_HOOKS
        register_batch_format(
            PLAN_FORMAT,
            _("Action plan measures (XLSX or Word)"),
            job_kind=PLAN_IMPORT_JOB,
            page="plans:import-batch",
        )
        register(PLAN_IMPORT_JOB_KIND)
