"""Forms for clusters and the review queue's filters; they only shape input, the services
validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import sort_field
from rightstrack.core.filtering import FilterForm
from rightstrack.core.model_forms import text_box
from rightstrack.core.values import max_length_of
from rightstrack.taxonomy.models import Scheme, Term

from .models import Cluster, MatchCandidate
from .selectors import DUPLICATE_SORTS


def _states():
    return Term.objects.filter(scheme=Scheme.STATE, is_active=True).order_by("label_en")


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=max_length_of(Cluster, "name"))
    description = text_box(Cluster, "description", label=_("Description"), rows=4)
    state = forms.ModelChoiceField(
        label=_("State"),
        queryset=Term.objects.none(),
        required=False,
        empty_label=_("Any State"),
        help_text=_("The State whose recommendations the cluster groups, if only one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = _states()
        self.fields["state"].label_from_instance = lambda term: term.label

    @staticmethod
    def initial_for(cluster):
        return {"name": cluster.name, "description": cluster.description, "state": cluster.state}


class AddToClusterForm(forms.Form):
    """Recommendations ticked on the list, and the cluster to put them in (or a new one)."""

    recommendation = forms.TypedMultipleChoiceField(coerce=int, required=False)
    cluster = forms.SlugField(label=_("Cluster"), required=False)
    new_name = forms.CharField(
        label=_("or a new cluster named"),
        required=False,
        max_length=max_length_of(Cluster, "name"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The ids are checked by the service; any number is a valid choice here.
        self.fields["recommendation"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("recommendation"):
            raise forms.ValidationError(_("Tick at least one recommendation."))
        if not cleaned.get("cluster") and not (cleaned.get("new_name") or "").strip():
            raise forms.ValidationError(_("Choose a cluster or give a name for a new one."))
        return cleaned


class DuplicateFilterForm(FilterForm):
    """The review queue's filters: the possible duplicates awaiting review by default, those
    already decided on request; one State's; in order of similarity or newest first."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=MatchCandidate.Status.choices,
        initial=MatchCandidate.Status.OPEN,
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        queryset=Term.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any State"),
    )
    sort = sort_field(DUPLICATE_SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = _states()
        self.fields["state"].label_from_instance = lambda term: term.label
