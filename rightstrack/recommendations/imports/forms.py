from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import format_choices


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"))
    file = forms.FileField(label=_("File"))
    state = forms.CharField(
        label=_("State under review"),
        required=False,
        max_length=200,
        help_text=_(
            "Import only this State's recommendations; also names the State when the file does "
            "not (Working Group reports, thematic lists, tables)."
        ),
    )
    symbol = forms.CharField(
        label=_("Document symbol"),
        required=False,
        max_length=100,
        help_text=_("For a report or thematic list whose symbol the file does not state."),
    )
    map = forms.CharField(
        label=_("Column mapping"),
        required=False,
        max_length=1000,
        help_text=_("Tables only: FIELD=COLUMN pairs, e.g. text=Recommendation,state=Country."),
    )
    mechanism = forms.CharField(
        label=_("Mechanism or body"),
        required=False,
        max_length=100,
        help_text=_("Tables only: the mechanism when no column gives it, e.g. UPR or CRC."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the readable rows even if some rows cannot be read"), required=False
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and count, write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()

    def options(self):
        return {name: self.cleaned_data[name] for name in ("map", "symbol", "mechanism")}
