from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from rightstrack.jobs.registry import on_worker_start, register, register_periodic
        from rightstrack.notifications.extensions import work

        from . import facets, saved_searches
        from .export_jobs import EXPORT_JOB_KIND
        from .extensions import registered
        from .imports.jobs import IMPORT_JOB_KIND
        from .imports.recovery import take_back_dead_imports_quietly
        from .work import MERGE_CANDIDATES_WORK

        register(IMPORT_JOB_KIND)
        on_worker_start(take_back_dead_imports_quietly)
        register(EXPORT_JOB_KIND)
        register(saved_searches.SAVED_SEARCHES_JOB_KIND)
        register(facets.COUNT_JOB_KIND)
        register_periodic(saved_searches.SAVED_SEARCHES_PERIODIC)
        registered.add_after_import(saved_searches.after_import)
        registered.add_after_import(facets.after_import)
        work.add(MERGE_CANDIDATES_WORK)
