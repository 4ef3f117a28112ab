"""Plans in the admin are for looking only: they are edited on their own pages, through the
services, so that every change is validated, versioned and audited."""

from django.contrib import admin

from rightstrack.core.admin_access import StaffReadOnlyAdminMixin

from .models import ActionPlan, Indicator, Measure


class IndicatorInline(StaffReadOnlyAdminMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("name", "baseline", "target", "current_value", "unit", "reporting_frequency")


@admin.register(ActionPlan)
class ActionPlanAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "state", "status", "is_published", "is_example")
    list_filter = ("status", "is_published", "is_example")
    search_fields = ("name", "slug")
    list_select_related = ("state",)


@admin.register(Measure)
class MeasureAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "title", "plan", "due_date", "version", "is_example")
    list_filter = ("plan", "is_example")
    search_fields = ("number", "title")
    list_select_related = ("plan",)
    raw_id_fields = ("recommendations",)
    inlines = [IndicatorInline]
