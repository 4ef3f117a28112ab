"""Forms for the presence pages: widgets and parsing only; the services validate and save.

They are plain forms built from the model's fields (``fields_for_model``) rather than ModelForms,
so that nothing is validated or written behind the services' back.
"""

from django import forms
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rightstrack.core.form_fields import (
    RICH_TEXT_HELP,
    AmountField,
    RichTextarea,
    WholeNumberField,
)
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


class PresenceForm(forms.Form):
    fieldsets = PRESENCE_FIELDSETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Presence,
                fields=PRESENCE_FORM_FIELDS,
                field_classes={"budget_amount": AmountField, "staff_count": WholeNumberField},
                widgets={
                    "role_summary": forms.Textarea(attrs={"rows": 4}),
                    "field_offices": forms.Textarea(attrs={"rows": 2}),
                    "areas_of_focus": RichTextarea(attrs={"rows": 12}),
                    "partners": forms.Textarea(attrs={"rows": 2}),
                    "donors": forms.Textarea(attrs={"rows": 2}),
                    "thematic_pillars": forms.CheckboxSelectMultiple,
                    "shifts": forms.CheckboxSelectMultiple,
                    "spotlight_populations": forms.CheckboxSelectMultiple,
                },
                help_texts={
                    "slug": _("The last part of the page address, e.g. “belarus”."),
                    "field_offices": _("Leave blank when not reported."),
                    "staff_count": _("Leave blank when not reported."),
                    "budget_currency": _("Three-letter code, e.g. USD."),
                    "areas_of_focus": RICH_TEXT_HELP,
                    "last_reviewed": _("Month and year, e.g. 2020-11."),
                },
            )
        )
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

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    @staticmethod
    def initial_for(presence):
        initial = {name: getattr(presence, name) for name in PRESENCE_FORM_FIELDS}
        for name in ("thematic_pillars", "shifts", "spotlight_populations"):
            initial[name] = list(getattr(presence, name).all())
        return initial


class FeatureStoryForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                FeatureStory,
                fields=STORY_FORM_FIELDS,
                widgets={
                    "summary": forms.Textarea(attrs={"rows": 4}),
                    "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                },
            )
        )

    @staticmethod
    def initial_for(story):
        return {name: getattr(story, name) for name in STORY_FORM_FIELDS}
