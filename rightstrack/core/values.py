"""Turning raw input (a form, the API, a demo file) into stored values: one rule per kind of value.

Every converter takes the value as given, the field to report on and the ``Errors`` to add to,
and returns the clean value: None (or "" for text) when the value is blank, which means "not
reported", or when it is invalid, in which case a message was added for the field. Nothing
raises piecemeal; the service raises all messages at once with ``errors.raise_if_any()``.

Lengths and digits come from the model field (``max_length``, ``max_digits``), so the model is
the one place that says how long or large a value may be; forms built from the model get the
same limits.

Numbers (amounts and whole numbers) follow one lenient but unambiguous rule:

* a point is always the decimal separator: "1.5" is 1.5, "1.500" is 1.5;
* spaces (also no-break and thin spaces) and commas group thousands, in groups of exactly
  three digits: "1 500", "1,500" and "1,500,000.50" are what an English reader sees;
* a comma followed by one or two digits at the end is a decimal comma, as Russian writes it:
  "1,5" is 1.5 and "1 500,25" is 1500.25 (a comma followed by three digits cannot be one:
  amounts have two decimals, so "1,500" is 1500);
* anything else is refused rather than guessed: "1.500,50", "1,5000", "15,00,000", "1e5".
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .validation import Errors, text

# Years a plan's period or a deployment may name: from the founding of the UN to a generous
# horizon.
MIN_YEAR = 1945
MAX_YEAR = 2100
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
# Dates as the API and files give them (ISO), and as a Russian form writes them, which has one
# reading only. "10/05/2020" has two (May or October), so it is refused.
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")
_NUMBER = re.compile(
    r"(?P<sign>[-+])?"
    r"(?P<whole>\d{1,3}(?:(?P<group>[ ,])\d{3})(?:(?P=group)\d{3})*|\d*)"
    r"(?P<fraction>\.\d+|,\d{1,2})?"
)
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def model_field(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)


def max_length_of(model: type[Model], name: str) -> int | None:
    """The model field's max_length, for a form field declared by hand."""
    return model_field(model, name).max_length


def a_text(
    value: Any,
    field: str,
    errors: Errors,
    *,
    model: type[Model],
    name: str | None = None,
    required: bool = False,
) -> str:
    """Stripped text, at most as long as the model field ``name`` (default: ``field``) allows."""
    cleaned = text(value)
    if required and not cleaned:
        errors.add(field, _("This field is required."))
    max_length = model_field(model, name or field).max_length
    if max_length is not None and len(cleaned) > max_length:
        errors.add(field, _("At most %(count)d characters.") % {"count": max_length})
    return cleaned


def parse_number(value: Any) -> Decimal | None:
    """The number a person wrote (see the module's rule), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        written = _SPACES.sub(" ", str(value).strip())
        match = _NUMBER.fullmatch(written)
        if match is None or not (match["whole"] or match["fraction"]):
            return None
        if match["group"] == "," and (match["fraction"] or "").startswith(","):
            return None  # "1,500,5": commas cannot both group and separate decimals
        whole = (match["whole"] or "0").replace(" ", "").replace(",", "")
        fraction = (match["fraction"] or "").replace(",", ".")
        try:
            number = Decimal(f"{match['sign'] or ''}{whole}{fraction}")
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def whole_number(value: Any) -> int | None:
    """The whole number a person wrote (by the same rule), or None when it is not one."""
    number = parse_number(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def a_whole_number(
    value: Any, field: str, errors: Errors, *, message: str | None = None
) -> int | None:
    """A whole number; ``message`` says what to enter when it is not one."""
    if is_blank(value):
        return None
    number = whole_number(value)
    if number is None:
        errors.add(field, message or _("Enter a whole number."))
    return number


def a_year(value: Any, field: str, errors: Errors) -> int | None:
    """A whole number from MIN_YEAR to MAX_YEAR."""
    year = a_whole_number(value, field, errors, message=_("Enter a year."))
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        errors.add(
            field,
            _("Enter a year between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
        return None
    return year


def an_amount(
    value: Any, field: str, errors: Errors, *, model: type[Model], name: str | None = None
) -> Decimal | None:
    """An amount with the model field's decimal places (so an unchanged amount compares equal
    to the stored one), no larger than its digits allow. Whether it may be negative is the
    caller's rule, with its own message."""
    if is_blank(value):
        return None
    number = parse_number(value)
    if number is None:
        errors.add(field, _("Enter a number."))
        return None
    decimal_field = model_field(model, name or field)
    step = Decimal(1).scaleb(-decimal_field.decimal_places)
    largest = Decimal(10) ** (decimal_field.max_digits - decimal_field.decimal_places) - step
    # Compared before rounding too: quantize raises on a number of more digits than the
    # context's precision (1e138 given for a budget), which must be a message, not a 500.
    amount = (
        number.quantize(step, rounding=ROUND_HALF_UP) if abs(number) <= largest + step else None
    )
    if amount is None or abs(amount) > largest:
        errors.add(field, _("Enter an amount of at most %(max)s.") % {"max": f"{largest:,}"})
        return None
    return amount


def a_date(value: Any, field: str, errors: Errors) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = str(value).strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(written, date_format).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    errors.add(field, _("Enter a date as YYYY-MM-DD."))
    return None


def a_month(value: Any, field: str, errors: Errors) -> date | None:
    """A date kept as the first day of its month, where only month and year are meaningful."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    match = _MONTH.fullmatch(str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3] or 1)).replace(day=1)
        except ValueError:
            pass
    errors.add(field, _("Enter a month as YYYY-MM."))
    return None


def a_currency(value: Any, field: str, errors: Errors, *, default: str = "") -> str:
    """A three-letter currency code in capitals; blank gives ``default``."""
    code = text(value).upper() or default
    if code and not CURRENCY_CODE.match(code):
        errors.add(field, _("Enter a three-letter currency code such as USD."))
    return code


def a_choice(value: Any, choices, field: str, errors: Errors, *, default: str | None = None):
    """One of the values of a TextChoices; blank gives ``default``."""
    cleaned = text(value) or default
    if cleaned not in choices.values:
        errors.add(
            field,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
        )
    return cleaned


def a_flag(value: Any) -> bool:
    """A yes/no as forms, the API and files give it: "1", "true", "yes", "on" are yes."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def a_url(
    value: Any, field: str, errors: Errors, *, model: type[Model], name: str | None = None
) -> str:
    """A web address (http or https only), at most as long as the model field allows."""
    url = a_text(value, field, errors, model=model, name=name)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.add(field, _("Enter a web address starting with http:// or https://."))
    return url


def as_list(values: Any) -> list:
    """One value or many (a list, a queryset) as a list."""
    if values is None:
        return []
    if isinstance(values, QuerySet):
        return list(values)
    if isinstance(values, str | int | Model):
        return [values]
    return list(values)


def records(values: Any, model: type[Model], field: str, errors: Errors) -> list:
    """Records of a model, given as instances or their numeric ids, in the order given."""
    ids = []
    for value in as_list(values):
        key = value.pk if isinstance(value, model) else a_whole_number(value, field, errors)
        if key is not None and key not in ids:
            ids.append(key)
    found = model._default_manager.in_bulk(ids)
    for key in ids:
        if key not in found:
            errors.add(
                field,
                _("There is no %(thing)s with the number %(id)s.")
                % {"thing": model._meta.verbose_name, "id": key},
            )
    return [found[key] for key in ids if key in found]
