from django.contrib import admin

from rightstrack.core.admin_access import ReadOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is written by the services and never edited."""

    list_display = ("at", "actor_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("actor_name", "object_repr", "object_id", "note")
    date_hierarchy = "at"
    list_select_related = ("content_type",)
    readonly_fields = (
        "at",
        "actor",
        "actor_name",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "note",
    )
    fields = readonly_fields
