from django.contrib import admin

from .models import SuggestionRun


@admin.register(SuggestionRun)
class SuggestionRunAdmin(admin.ModelAdmin):
    """Runs are written by the suggestion service only; the admin shows them."""

    list_display = (
        "scheme",
        "started_at",
        "import_batch",
        "state",
        "recommendations",
        "created",
        "updated",
        "withdrawn",
    )
    list_filter = ("scheme",)
    list_select_related = ("import_batch", "state")
    readonly_fields = [field.name for field in SuggestionRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
