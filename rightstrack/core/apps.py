from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from .db_statistics import refresh_planner_statistics


def _analyze_after_migrations(sender: AppConfig, *, using: str, plan=None, **kwargs) -> None:
    """Refresh the planner statistics once a migrate run has applied migrations.

    post_migrate is sent once per app with models, so only the last of them acts; a migrate
    that applied nothing (an empty plan) and the flushes of tests (no plan) leave them alone.
    """
    if not plan:
        return
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not with_models or sender is not with_models[-1]:
        return
    refresh_planner_statistics(using=using)


class CoreConfig(AppConfig):
    name = "rightstrack.core"
    verbose_name = "Core"

    def ready(self) -> None:
        post_migrate.connect(_analyze_after_migrations, dispatch_uid="core-analyze-after-migrate")
