"""Presences in the admin are for looking only: they are edited on their own pages, through the
services, so that every change is validated and audited."""

from django.contrib import admin

from rightstrack.core.admin_access import StaffReadOnlyAdminMixin

from .models import FeatureStory, Presence


class FeatureStoryInline(StaffReadOnlyAdminMixin, admin.TabularInline):
    model = FeatureStory
    extra = 0
    fields = ("title", "url", "published_on")


@admin.register(Presence)
class PresenceAdmin(StaffReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "country", "engagement_type", "region", "is_published")
    list_filter = ("engagement_type", "region", "is_published")
    search_fields = ("title", "slug", "country__label_en")
    list_select_related = ("country",)
    inlines = [FeatureStoryInline]
