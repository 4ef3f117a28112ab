from django import forms
from django.utils.translation import gettext_lazy as _


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "The plan's template (.xlsx) filled in, or a Word document (.docx) with a "
            "table of the same columns."
        ),
    )
