"""Forms for the progress pages: widgets and parsing only; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import choice_filter, sort_field
from rightstrack.core.filtering import FilterForm
from rightstrack.core.model_forms import rich_text_box, text_box, text_field
from rightstrack.core.sanitize import rich_text_for_editing
from rightstrack.core.values import max_length_of
from rightstrack.plans.forms import DateInput, indicator_value_field

from .evidence import ALLOWED_EXTENSIONS_TEXT, MAX_EVIDENCE_BYTES
from .filters import ASSESSMENT_SORTS, REPORT_SORTS
from .models import (
    Evidence,
    IndependentAssessment,
    IndicatorValue,
    ProgressReport,
    ReportStatus,
    StatusAssessment,
)


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    status_assessment = forms.ChoiceField(
        label=_("Status assessment"), choices=StatusAssessment.choices, widget=forms.RadioSelect
    )
    narrative = rich_text_box(ProgressReport, "narrative", label=_("Narrative"), rows=10)

    def __init__(self, *args, indicators=(), report=None, **kwargs):
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "period_start": report.period_start,
                "period_end": report.period_end,
                "status_assessment": report.status_assessment,
                "narrative": rich_text_for_editing(report.narrative),
            }
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        reported = (
            {value.indicator_id: value.value for value in report.indicator_values.all()}
            if report is not None
            else {}
        )
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = indicator_value_field(
                indicator,
                label=_("%(indicator)s: value at the end of the period")
                % {"indicator": indicator.name},
                size_of=(IndicatorValue, "value"),
                initial=reported.get(indicator.pk, ""),
            )

    def service_data(self):
        data = {
            name: self.cleaned_data[name]
            for name in ("period_start", "period_end", "status_assessment", "narrative")
        }
        data["indicator_values"] = {
            indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}", "")
            for indicator in self.indicators
        }
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = text_box(
        ProgressReport,
        "review_comment",
        label=_("Comment"),
        rows=4,
        help_text=_("Required when returning the report: say what should change."),
    )


class EvidenceForm(forms.Form):
    title = text_field(Evidence, "title", label=_("Title"))
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=max_length_of(Evidence, "url"),
        assume_scheme="https",
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("%(types)s; at most %(size)d MB.")
        % {"types": ALLOWED_EXTENSIONS_TEXT, "size": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )


class AssessmentForm(forms.Form):
    organisation = text_field(
        IndependentAssessment, "organisation", label=_("Organisation"), required=True
    )
    status_assessment = forms.ChoiceField(
        label=_("Your assessment"), choices=StatusAssessment.choices, widget=forms.RadioSelect
    )
    narrative = rich_text_box(
        IndependentAssessment, "narrative", label=_("Explanation"), rows=8, required=True
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("reject", _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    comment = text_box(
        IndependentAssessment, "moderation_comment", label=_("Comment for the author"), rows=3
    )


class ReportFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = choice_filter(_("Report status"), ReportStatus.choices)
    assessment = choice_filter(_("Status assessment"), StatusAssessment.choices)
    plan = forms.SlugField(label=_("Action plan"), required=False, widget=forms.HiddenInput)
    mine = forms.BooleanField(label=_("Only my agency's reports"), required=False)
    sort = sort_field(REPORT_SORTS)


class AssessmentFilterForm(FilterForm):
    assessment = choice_filter(_("Assessment"), StatusAssessment.choices)
    sort = sort_field(ASSESSMENT_SORTS)
