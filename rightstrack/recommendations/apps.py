from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from rightstrack.jobs.registry import on_worker_start, register, register_periodic
        from rightstrack.notifications.extensions import work

        from . import count_ahead, prepared_searches, saved_searches
        from .export_jobs import EXPORT_JOB_KIND
        from .extensions import registered
        from .imports.jobs import IMPORT_JOB_KIND
        from .imports.recovery import take_back_dead_imports_quietly
        from .work import MERGE_CANDIDATES_WORK

        register(IMPORT_JOB_KIND)
        on_worker_start(take_back_dead_imports_quietly)
        register(EXPORT_JOB_KIND)
        register(saved_searches.SAVED_SEARCHES_JOB_KIND)
        register(prepared_searches.COUNT_JOB_KIND)
        register_periodic(saved_searches.SAVED_SEARCHES_PERIODIC)
        registered.add_after_import(saved_searches.after_import)
        # Every write to what the list counts queues its count (count_ahead.py), except
        # those of migrations (the jobs' own tables may not be there yet).
        connection_created.connect(count_ahead.install, dispatch_uid="count_ahead")
        request_finished.connect(count_ahead.count_pending, dispatch_uid="count_ahead_pending")
        for connection in connections.all(initialized_only=True):
            count_ahead.install(connection)
        pre_migrate.connect(count_ahead.migrating, dispatch_uid="count_ahead_pre_migrate")
        post_migrate.connect(count_ahead.migrated, dispatch_uid="count_ahead_post_migrate")
        work.add(MERGE_CANDIDATES_WORK)
