"""Plain forms built from a model's fields: widgets and parsing only; the services validate and
save. Not ModelForms, so that nothing is validated or written behind the services' back."""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.forms.models import fields_for_model

from .form_fields import RICH_TEXT_HELP, RichTextarea
from .values import max_length_of


class ModelFieldsForm(forms.Form):
    """A form of ``model``'s fields ``field_names`` (the form and widget classes and help texts
    given override the model's), in ``fieldsets`` ((legend, names), …) for
    ``components/grouped_fieldsets.html``. A many-to-many field is a set of ticked boxes
    unless ``widgets`` says otherwise (its choices are a short vocabulary). A subclass adds the
    fields it declares itself (``own_fields``: not built from the model) in its ``__init__``."""

    model: ClassVar[type[models.Model]]
    field_names: ClassVar[Sequence[str]] = ()
    own_fields: ClassVar[Sequence[str]] = ()
    field_classes: ClassVar[Mapping[str, Any]] = {}
    widgets: ClassVar[Mapping[str, Any]] = {}
    help_texts: ClassVar[Mapping[str, Any]] = {}
    fieldsets: ClassVar[Sequence[tuple[Any, Sequence[str]]]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [name for name in self.field_names if name not in self.own_fields]
        boxes = {
            name: forms.CheckboxSelectMultiple
            for name in names
            if self.model._meta.get_field(name).many_to_many
        }
        self.fields.update(
            fields_for_model(
                self.model,
                fields=names,
                field_classes=dict(self.field_classes),
                widgets={**boxes, **self.widgets},
                help_texts=dict(self.help_texts),
            )
        )

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    @classmethod
    def initial_for(cls, record: models.Model) -> dict[str, Any]:
        """What the edit form of ``record`` starts from: its value of each field, the records
        of a many-to-many field as a list."""
        return {
            name: (
                list(getattr(record, name).all())
                if record._meta.get_field(name).many_to_many
                else getattr(record, name)
            )
            for name in cls.field_names
        }


def text_field(
    model: type[models.Model],
    field: str,
    *,
    label: Any,
    required: bool = False,
    help_text: Any = "",
    **options: Any,
) -> forms.CharField:
    """A text field for ``model``'s ``field``, refusing more than it holds (optional unless
    ``required``); ``options`` are the CharField's others (a widget, the initial value)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length_of(model, field),
        help_text=help_text,
        **options,
    )


def text_box(
    model: type[models.Model],
    field: str,
    *,
    label: Any,
    rows: int,
    required: bool = False,
    help_text: Any = "",
) -> forms.CharField:
    """A text box of ``rows`` lines for ``model``'s ``field`` (``text_field``)."""
    widget = forms.Textarea(attrs={"rows": rows})
    return text_field(
        model, field, label=label, required=required, help_text=help_text, widget=widget
    )


def rich_text_box(
    model: type[models.Model], field: str, *, label: Any, rows: int, required: bool = False
) -> forms.CharField:
    """A rich text box (``RichTextarea``, its help on formatting) for ``model``'s ``field``."""
    widget = RichTextarea(attrs={"rows": rows})
    return text_field(
        model, field, label=label, required=required, help_text=RICH_TEXT_HELP, widget=widget
    )
