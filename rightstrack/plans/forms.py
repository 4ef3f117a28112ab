"""Forms for the plan pages: widgets and parsing only; the services validate and save."""

from typing import Any

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import any_of, choice_filter
from rightstrack.core.filtering import FilterForm
from rightstrack.core.form_fields import AmountField
from rightstrack.core.model_forms import text_box, text_field
from rightstrack.core.values import max_length_of
from rightstrack.taxonomy.models import Agency, Scheme, Term

from .filters import MEASURE_SORTS, PLAN_SORTS
from .models import ActionPlan, Indicator, Measure, PlanStatus, ReportingFrequency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def indicator_value_field(
    indicator: Indicator,
    *,
    label: Any,
    size_of: tuple[type[models.Model], str],
    initial: str,
) -> forms.CharField:
    """A field for a value of ``indicator``: ``label`` followed by its unit, its baseline and
    target as help, refusing more than the model field ``size_of`` (model, name) holds."""
    if indicator.unit:
        label = f"{label} ({indicator.unit})"
    model, field = size_of
    return text_field(
        model,
        field,
        label=label,
        initial=initial,
        help_text=_("Baseline %(baseline)s, target %(target)s")
        % {"baseline": indicator.baseline or "—", "target": indicator.target or "—"},
    )


class PlanForm(forms.Form):
    name = text_field(ActionPlan, "name", label=_("Name"), required=True)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=max_length_of(ActionPlan, "slug"),
        required=False,
        help_text=_("The last part of the plan's web address; made from the name when empty."),
    )
    state = StateChoiceField(
        label=_("State"), queryset=Term.objects.filter(scheme=Scheme.STATE).order_by("label_en")
    )
    period_start_year = forms.IntegerField(label=_("Period from (year)"), required=False)
    period_end_year = forms.IntegerField(label=_("Period until (year)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    adoption_date = forms.DateField(label=_("Adoption date"), required=False, widget=DateInput())
    description = text_box(ActionPlan, "description", label=_("Description"), rows=5)

    @classmethod
    def initial_for(cls, plan):
        return {name: getattr(plan, name) for name in cls.base_fields}


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeasureForm(forms.Form):
    number = text_field(Measure, "number", label=_("Number"), required=True)
    title = text_field(Measure, "title", label=_("Title"), required=True)
    description = text_box(Measure, "description", label=_("Description"), rows=5)
    responsible_agencies = AgencyMultipleChoiceField(
        label=_("Responsible agencies"),
        queryset=Agency.objects.filter(is_active=True).order_by("name_en"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = text_box(Measure, "partners", label=_("Partners"), rows=2)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    budget_amount = AmountField(
        label=_("Budget amount"),
        required=False,
        min_value=0,
        decimal_places=Measure._meta.get_field("budget_amount").decimal_places,
        max_digits=Measure._meta.get_field("budget_amount").max_digits,
    )
    budget_currency = text_field(
        Measure,
        "budget_currency",
        label=_("Budget currency"),
        help_text=_("Three-letter code, e.g. USD, EUR or BYN."),
    )
    budget_source = text_field(Measure, "budget_source", label=_("Budget source"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measure is not None:
            # An agency no longer active stays choosable where it is already responsible.
            self.fields["responsible_agencies"].queryset = (
                Agency.objects.filter(Q(is_active=True) | Q(measures=measure))
                .distinct()
                .order_by("name_en")
            )

    @classmethod
    def initial_for(cls, measure):
        initial = {
            name: getattr(measure, name)
            for name in cls.base_fields
            if name not in {"responsible_agencies"}
        }
        initial["responsible_agencies"] = list(measure.responsible_agencies.all())
        return initial

    def service_data(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IndicatorForm(forms.Form):
    name = text_field(Indicator, "name", label=_("Name"), required=True)
    baseline = text_field(Indicator, "baseline", label=_("Baseline"))
    target = text_field(Indicator, "target", label=_("Target"))
    unit = text_field(Indicator, "unit", label=_("Unit"))
    current_value = text_field(Indicator, "current_value", label=_("Current value"))
    reporting_frequency = forms.ChoiceField(
        label=_("Reporting frequency"), choices=ReportingFrequency.choices
    )
    first_due_date = forms.DateField(
        label=_("First report due"),
        required=False,
        widget=DateInput(),
        help_text=_("Later reports fall due one reporting period after another."),
    )
    position = forms.IntegerField(label=_("Position"), required=False, min_value=0)

    @classmethod
    def initial_for(cls, indicator):
        return {name: getattr(indicator, name) for name in cls.base_fields}


class IndicatorValuesForm(forms.Form):
    """The current value of each of a measure's indicators (what focal points update)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"value_{indicator.pk}"] = indicator_value_field(
                indicator,
                label=indicator.name,
                size_of=(Indicator, "current_value"),
                initial=indicator.current_value,
            )

    def values(self):
        return {
            indicator.pk: self.cleaned_data.get(f"value_{indicator.pk}", "")
            for indicator in self.indicators
        }


def _sort_choices(options):
    return [(option.key, option.label) for option in options]


class PlanFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = choice_filter(_("Status"), PlanStatus.choices)
    published = forms.ChoiceField(
        label=_("Published"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Published")), ("no", _("Not published"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=_sort_choices(PLAN_SORTS))


class MeasureFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    agency = forms.ChoiceField(label=_("Responsible agency"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=_sort_choices(MEASURE_SORTS)
    )

    def __init__(self, *args, agencies=(), statuses=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = any_of((agency.code, agency.name) for agency in agencies)
        self.fields["status"].choices = any_of(statuses)
        self.fields["theme"].choices = [("", _("Any"))] + [
            (term.code, term.label) for term in themes
        ]


class UncoveredFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    scope = forms.ChoiceField(
        label=_("Not addressed by"),
        required=False,
        choices=[("plan", _("any measure of this plan")), ("all", _("any measure of any plan"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, sorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(option.key, option.label) for option in sorts]
