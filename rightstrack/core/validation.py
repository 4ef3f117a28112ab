"""What every service's input validation shares: an error collector and plain text cleaning."""

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


def text(value):
    return "" if value is None else str(value).strip()
