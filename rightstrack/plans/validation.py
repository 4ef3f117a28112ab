"""Small checks the plan and progress services share; each adds messages to an ``Errors``."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from rightstrack.core.validation import Errors, check_known_fields, text  # noqa: F401

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
MIN_YEAR = 1945
MAX_YEAR = 2100
# Budgets up to 10^14 in any currency; more is a typing mistake.
MAX_BUDGET = Decimal("99999999999999.99")


def required_text(value, field, errors, *, max_length):
    value = text(value)
    if not value:
        errors.add(field, _("This field is required."))
    return limited(value, field, errors, max_length=max_length)


def limited(value, field, errors, *, max_length):
    if len(value) > max_length:
        errors.add(field, _("At most %(count)d characters.") % {"count": max_length})
    return value


def a_date(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
    return parsed


def a_year(value, field, errors):
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add(field, _("Enter a year."))
        return None
    if isinstance(value, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        errors.add(
            field,
            _("Enter a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
        return None
    return year


def an_amount(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter an amount."))
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.add(field, _("Enter an amount."))
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        errors.add(field, _("Enter an amount from 0 to %(max)s.") % {"max": f"{MAX_BUDGET:,.0f}"})
        return None
    return amount.quantize(Decimal("0.01"))


def a_currency(value, field, errors):
    code = text(value).upper()
    if code and not CURRENCY_CODE.match(code):
        errors.add(field, _("Enter a three-letter ISO 4217 currency code, e.g. USD or BYN."))
    return code


def a_choice(value, choices, field, errors, *, default=None):
    value = text(value) or default
    if value not in choices.values:
        errors.add(
            field,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
        )
    return value


def a_flag(value):
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
