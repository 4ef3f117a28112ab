"""Progress records in the admin are for looking only: they change through the workflow pages
and the services, so that every change is checked and audited."""

from django.contrib import admin

from rightstrack.core.admin_access import StaffReadOnlyAdminMixin

from .models import (
    Evidence,
    IndependentAssessment,
    MechanismAssessment,
    ProgressReport,
    ReminderLog,
)


class EvidenceInline(StaffReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("title", "url", "original_name", "content_type", "size")


@admin.register(ProgressReport)
class ProgressReportAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "period_start", "period_end", "status_assessment", "status")
    list_filter = ("status", "status_assessment", "is_example")
    list_select_related = ("measure",)
    inlines = [EvidenceInline]


@admin.register(MechanismAssessment)
class MechanismAssessmentAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("recommendation", "mechanism", "document_symbol", "year", "part", "grade")
    list_filter = ("grade", "year")
    list_select_related = ("recommendation", "mechanism")


@admin.register(IndependentAssessment)
class IndependentAssessmentAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "status_assessment", "moderation", "created_at")
    list_filter = ("moderation", "status_assessment")


@admin.register(ReminderLog)
class ReminderLogAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("sent_on", "user", "indicator", "due_date")
    list_filter = ("sent_on",)
    list_select_related = ("user", "indicator")
