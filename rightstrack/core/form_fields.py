"""Form fields that read numbers by the one rule of ``rightstrack.core.values``, so a page
accepts what the API and files accept ("1,500", "1 500", "1,5") and refuses the same."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .values import parse_number, whole_number


def _number_input(**attrs: str) -> forms.TextInput:
    # A text input: a number input refuses group separators and decimal commas in some browsers.
    return forms.TextInput(attrs={"inputmode": "decimal", **attrs})


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _number_input())
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        number = parse_number(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(str(number))


class WholeNumberField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _number_input(inputmode="numeric"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


# What a person is told about a rich text field (progress narratives, assessments, a presence's
# areas of focus): no markup to learn; the editor's buttons, or plain paragraphs without it.
RICH_TEXT_HELP = _(
    "Write as in an e-mail: an empty line starts a new paragraph. Use the buttons above the box "
    "for bold, italics, lists and links."
)


class RichTextarea(forms.Textarea):
    """A text box for rich text, turned into a small editor by js/rich-text.js; what it sends is
    cleaned on the server by ``core.sanitize.rich_text_from_input`` like anything typed."""

    template_name = "core/widgets/rich_text.html"
