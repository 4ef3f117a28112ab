"""Forms for the presence pages: widgets and parsing only; the services validate and save.

They are plain forms built from the model's fields (``fields_for_model``) rather than ModelForms,
so that nothing is validated or written behind the services' back.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rightstrack.core.form_fields import (
    RICH_TEXT_HELP,
    AmountField,
    RichTextarea,
    WholeNumberField,
)
from rightstrack.core.model_forms import ModelFieldsForm
from rightstrack.taxonomy.models import Scheme, Term

from .models import FeatureStory, Presence

# The profile form's fields, grouped as the form shows them.
PRESENCE_FIELDSETS = (
    (_("Profile"), ("title", "slug", "country", "region", "role_summary")),
    (
        _("Key facts"),
        (
            "engagement_type",
            "deployment_start_year",
            "deployment_end_year",
            "field_offices",
            "staff_count",
            "budget_amount",
            "budget_currency",
        ),
    ),
    (_("Areas of focus"), ("areas_of_focus",)),
    (_("Partners and donors"), ("partners", "donors")),
    (_("Focus areas"), ("thematic_pillars", "shifts", "spotlight_populations")),
    (
        _("Review and contact"),
        (
            "last_reviewed",
            "contact_division",
            "contact_section",
            "contact_location",
            "contact_email",
        ),
    ),
)
PRESENCE_FORM_FIELDS = tuple(name for _legend, names in PRESENCE_FIELDSETS for name in names)
STORY_FORM_FIELDS = ("title", "url", "summary", "published_on")


class MonthField(forms.DateField):
    """A month and year (YYYY-MM); the browser shows a month picker where it has one."""

    widget = forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class PresenceForm(ModelFieldsForm):
    model = Presence
    field_names = PRESENCE_FORM_FIELDS
    fieldsets = PRESENCE_FIELDSETS
    field_classes = {"budget_amount": AmountField, "staff_count": WholeNumberField}
    widgets = {
        "role_summary": forms.Textarea(attrs={"rows": 4}),
        "field_offices": forms.Textarea(attrs={"rows": 2}),
        "areas_of_focus": RichTextarea(attrs={"rows": 12}),
        "partners": forms.Textarea(attrs={"rows": 2}),
        "donors": forms.Textarea(attrs={"rows": 2}),
    }
    help_texts = {
        "slug": _("The last part of the page address, e.g. “belarus”."),
        "field_offices": _("Leave blank when not reported."),
        "staff_count": _("Leave blank when not reported."),
        "budget_currency": _("Three-letter code, e.g. USD."),
        "areas_of_focus": RICH_TEXT_HELP,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_reviewed"] = MonthField(
            label=capfirst(Presence._meta.get_field("last_reviewed").verbose_name),
            required=False,
            help_text=_("Month and year, e.g. 2020-11."),
        )
        self.fields["country"].queryset = Term.objects.filter(scheme=Scheme.STATE).order_by(
            "label_en"
        )
        for name in ("thematic_pillars", "shifts", "spotlight_populations"):
            self.fields[name].queryset = self.fields[name].queryset.filter(is_active=True)


class FeatureStoryForm(ModelFieldsForm):
    model = FeatureStory
    field_names = STORY_FORM_FIELDS
    widgets = {
        "summary": forms.Textarea(attrs={"rows": 4}),
        "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    }
