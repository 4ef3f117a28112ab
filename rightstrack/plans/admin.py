"""Plans in the admin are for looking only: they are edited on their own pages, through the
services, so that every change is validated, versioned and audited."""

from django.contrib import admin

from .models import ActionPlan, Indicator, Measure


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


class IndicatorInline(ReadOnly, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("name", "baseline", "target", "current_value", "unit", "reporting_frequency")


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "state", "status", "is_published", "is_example")
    list_filter = ("status", "is_published", "is_example")
    search_fields = ("name", "slug")
    list_select_related = ("state",)


@admin.register(Measure)
class MeasureAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("number", "title", "plan", "due_date", "version", "is_example")
    list_filter = ("plan", "is_example")
    search_fields = ("number", "title")
    list_select_related = ("plan",)
    raw_id_fields = ("recommendations",)
    inlines = [IndicatorInline]
