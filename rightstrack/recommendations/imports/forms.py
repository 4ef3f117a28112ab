from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.intake import IntakeError, check_encoding

from .formats import AUTOMATIC, format_choices
from .service import FORMAT_OPTIONS


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), initial=AUTOMATIC)
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
    encoding = forms.CharField(
        label=_("Encoding"),
        required=False,
        max_length=40,
        help_text=_(
            "Text files only: the file's encoding (e.g. cp1251, mac_roman) when the detected "
            "one is wrong. Leave empty to detect it."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the readable rows even if some rows cannot be read"), required=False
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and count, write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [
            (AUTOMATIC, _("Automatic: recognised from the file's content")),
            *format_choices(),
        ]

    def clean_encoding(self):
        encoding = self.cleaned_data["encoding"].strip()
        if encoding:
            try:
                check_encoding(encoding)
            except IntakeError as error:
                raise forms.ValidationError(error.message) from None
        return encoding

    def options(self):
        return {name: self.cleaned_data[name] for name in FORMAT_OPTIONS}
