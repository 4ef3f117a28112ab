"""Vocabulary terms from raw input (a term or its code), as ``rightstrack.core.values`` turns
other values: each adds a message per field to an ``Errors`` instead of raising."""

from typing import Any

from django.utils.translation import gettext as _

from rightstrack.core.validation import Errors, text
from rightstrack.core.values import as_list, is_blank

from .models import Scheme, Term


def _not_in_scheme(code: str, scheme: str) -> str:
    return _("“%(code)s” is not in the vocabulary “%(scheme)s”.") % {
        "code": code,
        "scheme": Scheme(scheme).label,
    }


def terms(values: Any, scheme: str, field: str, errors: Errors) -> list[Term]:
    """Terms of one vocabulary, given as terms or codes, in the order given."""
    codes = []
    for value in as_list(values):
        if isinstance(value, Term):
            if value.scheme != scheme:
                errors.add(field, _not_in_scheme(value.code, scheme))
                continue
            code = value.code
        else:
            code = text(value)
        if code and code not in codes:
            codes.append(code)
    found = {term.code: term for term in Term.objects.filter(scheme=scheme, code__in=codes)}
    for code in codes:
        if code not in found:
            errors.add(field, _not_in_scheme(code, scheme))
    return [found[code] for code in codes if code in found]


def a_term(value: Any, scheme: str, field: str, errors: Errors) -> Term | None:
    """One term of a vocabulary, given as a term or its code; None when blank."""
    if is_blank(value):
        return None
    found = terms([value], scheme, field, errors)
    return found[0] if found else None
