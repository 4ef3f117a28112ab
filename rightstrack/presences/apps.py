from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresencesConfig(AppConfig):
    name = "rightstrack.presences"
    verbose_name = _("Presences")
