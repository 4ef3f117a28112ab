"""The admin site edits terms and agencies through the services, so every change is audited."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rightstrack.core.roles import is_administrator

from . import services
from .models import Agency, Term


class AdministratorsOnly:
    """Vocabularies are the administrators' to change; other staff may only look."""

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        # Terms and agencies are referenced from recommendations and plans: retire them instead.
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


TERM_ADMIN_FIELDS = ("scheme", "code", *services.TERM_FIELDS)


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = TERM_ADMIN_FIELDS

    def clean_aliases(self):
        # Shown next to the field instead of failing in the service after the form passed.
        aliases = self.cleaned_data["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise forms.ValidationError(_('Aliases must be a list of texts, like ["Russia"].'))
        return aliases


@admin.register(Term)
class TermAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = TermForm
    fields = TERM_ADMIN_FIELDS
    list_display = ("code", "label_en", "label_ru", "scheme", "parent", "is_active")
    list_filter = ("scheme", "is_active")
    search_fields = ("code", "label_en", "label_ru", "search_text")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            term = Term.objects.get(pk=obj.pk)
            saved = services.term_update(actor=request.user, term=term, data=data)
        else:
            saved = services.term_create(actor=request.user, data=data)
        obj.pk = saved.pk


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "state", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_ru")
    list_select_related = ("state",)
    raw_id_fields = ("state",)
    fields = ("code", "name_en", "name_ru", "state", "is_active")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            agency = Agency.objects.get(pk=obj.pk)
            saved = services.agency_update(actor=request.user, agency=agency, data=data)
        else:
            saved = services.agency_create(
                actor=request.user,
                code=data["code"],
                name_en=data["name_en"],
                name_ru=data.get("name_ru", ""),
                state=data.get("state"),
            )
            if not data.get("is_active", True):
                saved = services.agency_update(
                    actor=request.user, agency=saved, data={"is_active": False}
                )
        obj.pk = saved.pk
