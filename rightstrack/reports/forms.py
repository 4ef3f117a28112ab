"""The forms of the report page: one per document, their choices limited to what the reader may
see. They only parse; ``services.report_build`` checks the selectors (its errors are shown beside
the fields)."""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .documents.builders.upr_midterm import GROUP_CLUSTER, GROUP_THEME
from .services import PLAN_STATUS, PRESENCE_SUMMARY, UPR_MIDTERM

FORMAT_CHOICES = (("pdf", _("PDF")), ("docx", _("Word (.docx)")))
GROUP_CHOICES = ((GROUP_THEME, _("Theme")), (GROUP_CLUSTER, _("Cluster")))


def _unpublished(label, is_published):
    return label if is_published else f"{label} ({_('not published')})"


def _set_published_first(
    field: forms.ChoiceField, records: Sequence[Any], label: Callable[[Any], str]
) -> None:
    """Offers ``records`` by slug, the unpublished ones marked, and chooses the first published
    one (the first of all when none is): what a plan or a presence chooser shows."""
    field.choices = [
        (record.slug, _unpublished(label(record), record.is_published)) for record in records
    ]
    first = next(
        (record for record in records if record.is_published), records[0] if records else None
    )
    field.initial = first.slug if first else None


class ReportForm(forms.Form):
    """What every report form has: the report (hidden) and the file format."""

    kind = ""
    key = ""  # the form's own name on the page (two forms make mid-term reports)
    title = ""
    description = ""
    selectors = ()  # the fields that choose what the report is about
    prefilled = False  # filled in from a link's choices, not yet submitted

    report = forms.CharField(widget=forms.HiddenInput)
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, initial="pdf", widget=forms.RadioSelect
    )

    def __init__(self, data=None, *, user):
        super().__init__(data, auto_id=f"id_{self.key}_%s", initial={"report": self.kind})
        self.order_fields(["report", *self.selectors, "format"])
        self.user = user
        self.set_choices()

    def set_choices(self):
        pass

    @property
    def is_available(self):
        """Whether the reader may see anything to report on: anything to choose in the first
        selector (what the report is about)."""
        return not self.selectors or bool(self.fields[self.selectors[0]].choices)

    def params(self):
        return {name: self.cleaned_data.get(name) for name in self.selectors}


class PlanStatusForm(ReportForm):
    kind = key = PLAN_STATUS
    title = _("Plan status report")
    description = _(
        "A cover, the measures summed up by status, agency and theme with charts, then each "
        "measure with the recommendations it answers, its responsible agencies, its latest "
        "approved progress, its indicators against their targets and the evidence."
    )
    selectors = ("plan",)

    plan = forms.ChoiceField(label=_("Action plan"))

    def set_choices(self):
        plans = list(selectors.plan_choices(user=self.user))
        _set_published_first(self.fields["plan"], plans, lambda plan: plan.name)


class MidtermMatrixForm(ReportForm):
    """The two forms of the mid-term matrix (by State and cycle, or by document): the same
    report, grouped by theme or cluster."""

    kind = UPR_MIDTERM

    group = forms.ChoiceField(
        label=_("Group by"), choices=GROUP_CHOICES, initial=GROUP_THEME, required=False
    )


class UprMidtermForm(MidtermMatrixForm):
    key = "upr-midterm"
    title = _("UPR mid-term report (draft)")
    description = _(
        "The recommendations of one UPR cycle made to a State, grouped by theme or cluster, each "
        "with its position, the measures taken, their status and the evidence: the matrix States "
        "use for voluntary mid-term reports."
    )
    selectors = ("state", "cycle", "group")

    state = forms.ChoiceField(label=_("State"))
    cycle = forms.ChoiceField(
        label=_("UPR cycle"),
        required=False,
        help_text=_("The latest cycle of the State when left empty."),
    )

    def set_choices(self):
        state_cycles = selectors.upr_state_cycles(user=self.user)
        self.fields["state"].choices = [(state.code, state.label) for state, _c in state_cycles]
        cycles = sorted({cycle for _state, listed in state_cycles for cycle in listed})
        self.fields["cycle"].choices = [("", _("Latest"))] + [
            (str(cycle), str(cycle)) for cycle in cycles
        ]


class TreatyBodyForm(MidtermMatrixForm):
    key = "follow-up"
    title = _("Follow-up report on one document (draft)")
    description = _(
        "The same matrix for the recommendations of one document, such as a Treaty Body's "
        "concluding observations, with the body's own follow-up grade when it gave one."
    )
    selectors = ("document", "group")

    document = forms.ChoiceField(label=_("Source document"))

    def set_choices(self):
        choices = []
        for document in selectors.documents_with_recommendations(user=self.user):
            label = document.symbol
            if document.mechanism_id:
                label = f"{label} — {document.mechanism.short_label}"
            if document.state_id:
                label = f"{label}, {document.state.label}"
            choices.append((document.symbol, label))
        self.fields["document"].choices = choices


class PresenceSummaryForm(ReportForm):
    kind = key = PRESENCE_SUMMARY
    title = _("Field presence annual summary")
    description = _(
        "The presence's profile, then the activities of the year by pillar and target group, "
        "with participants, partners and donors, and the budget needs against the recorded cost."
    )
    selectors = ("presence", "year")

    presence = forms.ChoiceField(label=_("Field presence"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def set_choices(self):
        presences = list(selectors.presence_choices(user=self.user))
        _set_published_first(self.fields["presence"], presences, lambda presence: presence.title)
        years = selectors.activity_years(user=self.user)
        help_text = _("Empty for all years.")
        if years:
            help_text += " " + _("Years with activities: %(years)s.") % {
                "years": ", ".join(str(year) for year in years)
            }
        self.fields["year"].help_text = help_text


FORMS = (PlanStatusForm, UprMidtermForm, TreatyBodyForm, PresenceSummaryForm)


def form_for_request(data):
    """The form class a submission belongs to, from its ``report`` and selectors."""
    report = data.get("report")
    if report == UPR_MIDTERM:
        return TreatyBodyForm if data.get("document") else UprMidtermForm
    return next((form for form in FORMS if form.kind == report), None)
