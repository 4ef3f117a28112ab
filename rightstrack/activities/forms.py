"""Forms for the activity pages: widgets and parsing only; the services validate and save.

Plain forms built from the model's fields rather than ModelForms, so nothing is validated or
written behind the services' back.
"""

import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rightstrack.core.form_fields import AmountField, WholeNumberField
from rightstrack.core.model_forms import ModelFieldsForm
from rightstrack.plans.models import Measure
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import terms_by_scheme

from .models import Activity, Organization
from .services import AUDITED_FIELDS, ORGANIZATION_FIELDS, PARTICIPANT_FIELDS

# The fields the services take, in the order of the activity page (the order its history shows).
ACTIVITY_FORM_FIELDS = AUDITED_FIELDS
NOT_REPORTED_HELP = _("Leave blank when not reported; 0 means nobody.")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, measure):
        return f"{measure.plan.name} — {measure.number} {measure.title}"


class RecommendationNumbersField(forms.CharField):
    """Recommendations by their numbers (as in their page addresses), separated by commas."""

    def to_python(self, value):
        value = super().to_python(value)
        return [part for part in re.split(r"[\s,;]+", value or "") if part]


class ActivityForm(ModelFieldsForm):
    fieldsets = (
        (_("The activity"), ("presence", "type", "title", "description")),
        (_("When and where"), ("start_date", "end_date", "place")),
        (_("Partners and donors"), ("partners", "donors")),
        (
            _("Target groups and pillars"),
            ("target_populations", "target_affected_persons", "thematic_pillars"),
        ),
        (
            _("Participants"),
            (
                "participants_total",
                "participants_women",
                "participants_men",
                "participants_with_disabilities",
            ),
        ),
        (_("Results and cost"), ("outputs", "outcomes", "cost_amount", "cost_currency")),
        (_("What it supports"), ("recommendations", "measures")),
    )

    model = Activity
    field_names = ACTIVITY_FORM_FIELDS
    own_fields = ("recommendations",)
    field_classes = {
        "cost_amount": AmountField,
        **dict.fromkeys(PARTICIPANT_FIELDS, WholeNumberField),
    }
    widgets = {
        "description": forms.Textarea(attrs={"rows": 5}),
        "outputs": forms.Textarea(attrs={"rows": 3}),
        "outcomes": forms.Textarea(attrs={"rows": 3}),
        "start_date": DATE_INPUT,
        "end_date": DATE_INPUT,
        "partners": forms.SelectMultiple(attrs={"size": 8}),
        "donors": forms.SelectMultiple(attrs={"size": 8}),
    }
    help_texts = {
        "start_date": _("Leave blank when not known."),
        "end_date": _("Leave blank when not known or the same day."),
        "partners": _("Hold Ctrl (⌘ on a Mac) to choose several."),
        "donors": _("Hold Ctrl (⌘ on a Mac) to choose several."),
        "participants_total": NOT_REPORTED_HELP,
        "participants_women": NOT_REPORTED_HELP,
        "participants_men": NOT_REPORTED_HELP,
        "participants_with_disabilities": NOT_REPORTED_HELP,
        "cost_amount": _("Leave blank when not known."),
        "cost_currency": _("Three-letter code, e.g. USD."),
    }

    def __init__(self, *args, presences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presence"].queryset = presences
        self.fields["presence"].to_field_name = "slug"
        self.fields["measures"] = MeasureChoiceField(
            label=capfirst(Activity._meta.get_field("measures").verbose_name),
            queryset=Measure.objects.select_related("plan").order_by("plan__name", "number"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
        )
        self.fields["recommendations"] = RecommendationNumbersField(
            label=capfirst(Activity._meta.get_field("recommendations").verbose_name),
            required=False,
            help_text=_(
                "The numbers of the recommendations, as in their page addresses, separated by "
                "commas, e.g. 12, 48."
            ),
        )
        organizations = Organization.objects.order_by("name", "pk")
        self.fields["partners"].queryset = organizations
        self.fields["donors"].queryset = organizations
        for name, scheme in (
            ("target_populations", Scheme.SPOTLIGHT_POPULATION),
            ("target_affected_persons", Scheme.AFFECTED_PERSONS),
            ("thematic_pillars", Scheme.THEMATIC_PILLAR),
        ):
            self.fields[name].queryset = terms_by_scheme(scheme)

    @classmethod
    def initial_for(cls, activity):
        initial = super().initial_for(activity)
        initial["presence"] = activity.presence.slug
        initial["recommendations"] = ", ".join(
            str(recommendation.pk) for recommendation in initial["recommendations"]
        )
        return initial


class OrganizationForm(ModelFieldsForm):
    model = Organization
    field_names = ORGANIZATION_FIELDS
    own_fields = ("website",)
    help_texts = {"country": _("Leave blank for an international organization.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Term.objects.filter(scheme=Scheme.STATE).order_by(
            "label_en"
        )
        self.fields["website"] = forms.URLField(
            label=capfirst(Organization._meta.get_field("website").verbose_name),
            required=False,
            assume_scheme="https",
        )
