from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rightstrack.core"
    verbose_name = "Core"
