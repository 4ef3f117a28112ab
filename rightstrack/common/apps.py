from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "rightstrack.common"
    verbose_name = "Common"
