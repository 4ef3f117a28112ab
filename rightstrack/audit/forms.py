"""The audit trail's filter form (see selectors.EntryFilters)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import sort_field
from rightstrack.core.filtering import FilterForm

from .models import AuditEntry
from .selectors import ENTRY_SORTS


class EntryFilterForm(FilterForm):
    """Actor and object type are free text drawn as a choice: the HTMX results fragment does not
    query the choices, and a name or type that no longer has entries simply matches nothing."""

    actor = forms.CharField(label=_("Changed by"), required=False, widget=forms.Select)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEntry.Action.choices],
    )
    model = forms.CharField(label=_("Object type"), required=False, widget=forms.Select)
    object_id = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = sort_field(ENTRY_SORTS)

    def __init__(self, *args, actors=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.choices = [("", _("Anyone"))] + [
            (name, name) for name in actors
        ]
        self.fields["model"].widget.choices = [("", _("Any type"))] + [
            (value, capfirst(label)) for value, label in object_types
        ]
