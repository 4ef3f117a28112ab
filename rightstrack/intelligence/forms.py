from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.values import max_length_of
from rightstrack.recommendations.models import Cluster, ImportBatch, Recommendation

from .filters import BatchSchemeForm
from .selectors import DEFAULT_CLUSTER_THRESHOLD


class AcceptAboveForm(BatchSchemeForm):
    batch = forms.ModelChoiceField(label=_("Import batch"), queryset=ImportBatch.objects.none())
    threshold = forms.FloatField(
        label=_("Confidence at least"), min_value=0, max_value=1, initial=0.9
    )
    scheme = forms.ChoiceField(label=_("Vocabulary"), required=False, choices=())


class ClusterProposalForm(forms.Form):
    state = forms.CharField(label=_("State (code)"), max_length=10)
    threshold = forms.FloatField(
        label=_("Similarity at least"),
        min_value=0.05,
        max_value=0.95,
        initial=DEFAULT_CLUSTER_THRESHOLD,
        required=False,
    )


class ClusterAcceptForm(forms.Form):
    name = forms.CharField(label=_("Cluster name"), max_length=max_length_of(Cluster, "name"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations"),
        queryset=Recommendation.objects.all(),
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, recommendations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recommendations is not None:
            self.fields["recommendations"].queryset = recommendations


class TrainForm(forms.Form):
    """What a coordinator trains from the models page: vocabularies, from which data."""

    schemes = forms.MultipleChoiceField(
        label=_("Vocabularies"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    source = forms.ChoiceField(label=_("Learn from"), choices=())
    suggest = forms.BooleanField(
        label=_("Then suggest tags for every recommendation"), required=False, initial=True
    )

    def __init__(self, *args, upr_info_available=False, **kwargs):
        from .jobs import SOURCE_DATABASE, SOURCE_UPR_INFO
        from .tagging.schemes import SCHEMES

        super().__init__(*args, **kwargs)
        self.fields["schemes"].choices = [(name, scheme.label) for name, scheme in SCHEMES.items()]
        sources = [(SOURCE_DATABASE, _("the tags accepted in this database"))]
        if upr_info_available:
            sources.insert(
                0, (SOURCE_UPR_INFO, _("UPR Info's export (issues and action categories only)"))
            )
        self.fields["source"].choices = sources
