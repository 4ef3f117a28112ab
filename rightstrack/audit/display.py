"""How stored changes are shown: in the reader's language, whatever language wrote them."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from rightstrack.core.sanitize import html_to_lines, looks_like_markup, sanitize_html


@dataclass(frozen=True)
class ChangeRow:
    name: str
    label: str
    old: str | None
    new: str | None


def _field_of(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_rich_text(value: str) -> bool:
    """Stored rich text: markup that the sanitiser leaves as it is (anything else that looks
    like markup, e.g. typed into a plain field, is shown as typed, escaped)."""
    return looks_like_markup(value) and sanitize_html(value) == value.strip()


def shown_value(field, value):
    """A stored value as text; None when there is nothing to show."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, str) and _is_rich_text(value):
        # Rich text (a narrative, areas of focus) reads as its text, a paragraph a line, not
        # as the markup it is stored in.
        return "\n".join(html_to_lines(value)) or None
    return str(value)


def change_rows(model, changes):
    """(name, label, old, new) for each change; the label comes from the model when it still
    has the field, so it follows the current language, else from what was stored."""
    rows = []
    for name, change in (changes or {}).items():
        field = _field_of(model, name)
        label = str(field.verbose_name) if field is not None else change.get("label") or name
        rows.append(
            ChangeRow(
                name=name,
                label=label,
                old=shown_value(field, change.get("old")),
                new=shown_value(field, change.get("new")),
            )
        )
    return rows
