"""Turning raw input (form, API, demo file) into stored values, collecting messages per field.

Every function takes the value as given and the ``Errors`` to add to, and returns the clean value
(None when the value is blank, which means "not reported", or invalid).
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from rightstrack.core.validation import Errors, check_known_fields, text  # noqa: F401
from rightstrack.taxonomy.models import Scheme, Term

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value, field, errors):
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a whole number."))
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(field, _("Enter a whole number."))
        return None
    if not number.is_finite() or number != number.to_integral_value():
        errors.add(field, _("Enter a whole number."))
        return None
    return int(number)


def amount(value, field, errors):
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a number."))
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if not number.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    # Two decimals always, so an unchanged cost compares equal to the stored one.
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def a_date(value, field, errors):
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None


def currency(value, field, errors, *, default="USD"):
    code = text(value).upper() or default
    if not CURRENCY_CODE.match(code):
        errors.add(field, _("Enter a three-letter currency code such as USD."))
    return code


def _as_list(values):
    if values is None:
        return []
    if isinstance(values, QuerySet):
        return list(values)
    if isinstance(values, str | int | Model):
        return [values]
    return list(values)


def terms(values, scheme, field, errors):
    """Terms of one vocabulary, given as terms or codes, in the order given."""
    codes = []
    for value in _as_list(values):
        if isinstance(value, Term):
            if value.scheme != scheme:
                errors.add(
                    field,
                    _("“%(code)s” is not in the vocabulary “%(scheme)s”.")
                    % {
                        "code": value.code,
                        "scheme": Scheme(scheme).label,
                    },
                )
                continue
            code = value.code
        else:
            code = text(value)
        if code and code not in codes:
            codes.append(code)
    found = {term.code: term for term in Term.objects.filter(scheme=scheme, code__in=codes)}
    for code in codes:
        if code not in found:
            errors.add(
                field,
                _("“%(code)s” is not in the vocabulary “%(scheme)s”.")
                % {
                    "code": code,
                    "scheme": Scheme(scheme).label,
                },
            )
    return [found[code] for code in codes if code in found]


def records(values, model, field, errors):
    """Records of a model, given as instances or their numeric ids, in the order given."""
    ids = []
    for value in _as_list(values):
        key = value.pk if isinstance(value, model) else whole_number(value, field, errors)
        if key is not None and key not in ids:
            ids.append(key)
    found = model.objects.in_bulk(ids)
    for key in ids:
        if key not in found:
            errors.add(
                field,
                _("There is no %(thing)s with the number %(id)s.")
                % {"thing": model._meta.verbose_name, "id": key},
            )
    return [found[key] for key in ids if key in found]
