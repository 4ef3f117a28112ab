"""The roles of DESIGN.md and what each may do; every permission check asks these functions.

They read only ``user.role`` (the field on accounts.User), so every app can ask them without
depending on the accounts app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    CIVIL_SOCIETY = "civil_society", _("Civil society contributor")
    VIEWER = "viewer", _("Viewer")


INTERNAL_READERS = {Role.ADMINISTRATOR, Role.COORDINATOR, Role.VIEWER}
MANAGERS = {Role.ADMINISTRATOR, Role.COORDINATOR}


def role_of(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def can_read_internal(user):
    """May see unpublished and internal records (not only what the public sees)."""
    return role_of(user) in INTERNAL_READERS


def can_manage(user):
    """May create and edit presences, plans, clusters; may publish."""
    return role_of(user) in MANAGERS


def is_administrator(user):
    return role_of(user) == Role.ADMINISTRATOR
