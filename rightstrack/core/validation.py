"""What every service's input validation shares: an error collector and plain text cleaning."""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class Errors(dict):
    """{field: [messages]} collected over a whole input, raised as one ValidationError."""

    def add(self, field, message):
        messages = self.setdefault(field, [])
        if message not in messages:
            messages.append(message)

    def merge(self, error):
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add(field, message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def check_known_fields(data, allowed, errors):
    for name in data:
        if name not in allowed:
            errors.add(name, _("Unknown field."))


class PartialInput:
    """The input of a partial update of ``record``: a field's value is the one ``data`` gives,
    else the record's own. Fields not ``allowed`` are refused into ``errors`` at once."""

    def __init__(self, data: Mapping[str, Any], record: object, allowed: Collection[str]) -> None:
        self.data = data
        self.record = record
        self.errors = Errors()
        check_known_fields(data, allowed, self.errors)

    def __call__(self, name: str) -> Any:
        return self.data[name] if name in self.data else getattr(self.record, name)


def text(value):
    return "" if value is None else str(value).strip()
