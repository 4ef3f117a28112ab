"""Read-only admin pages: activities and organizations change only through the services (the
activity pages and the API), which validate and audit every write."""

from django.contrib import admin

from rightstrack.core.admin_access import ReadOnlyAdminMixin

from .models import Activity, Organization


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "website")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("country",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "presence", "type", "start_date", "participants_total", "is_published")
    list_filter = ("type", "is_published", "presence")
    search_fields = ("title", "description", "place")
    date_hierarchy = "start_date"
    list_select_related = ("presence",)
