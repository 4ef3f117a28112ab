"""Filters of lists declared, not written out: each app's ``filters.py`` names what a filter key
means (``"presence": Equals("presence__slug")``) and ``apply_filters`` narrows a queryset by the
keys given. The page, the API and the exports pass the same dict, so they agree.

A key that is missing, None or blank does nothing; a value a filter cannot mean (a status that is
not one of its choices) does nothing either, as an unknown filter on a page should not empty it.
Filters that need more than a lookup (the caller's own agency, a year range) stay functions in
the app, next to the declarations.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.db.models import Q, QuerySet

from .api.inputs import MAX_ID


class Filter(Protocol):
    def apply(self, queryset: QuerySet, value: Any) -> QuerySet: ...


@dataclass(frozen=True, init=False)
class Words:
    """The stripped text matches any of the lookups (``"title__icontains"``,
    ``"number__iexact"``)."""

    lookups: tuple[str, ...]

    def __init__(self, *lookups: str):
        object.__setattr__(self, "lookups", lookups)

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        text = str(value).strip()
        if not text:
            return queryset
        matches = Q()
        for lookup in self.lookups:
            matches |= Q(**{lookup: text})
        return queryset.filter(matches)


@dataclass(frozen=True)
class Equals:
    """The lookup equals the value; with ``choices``, only a value among them filters."""

    lookup: str
    choices: Collection[Any] | None = None

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        if self.choices is not None and value not in self.choices:
            return queryset
        return queryset.filter(**{self.lookup: value})


@dataclass(frozen=True)
class TermCode:
    """A term of one vocabulary, by its code, is among the relation's terms."""

    relation: str
    scheme: str

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        return queryset.filter(
            **{f"{self.relation}__scheme": self.scheme, f"{self.relation}__code": value}
        )


@dataclass(frozen=True)
class YesNo:
    """ "yes" (or True) keeps the rows where the boolean lookup is true, "no" (or False) the
    others."""

    lookup: str

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        if value in ("yes", True):
            return queryset.filter(**{self.lookup: True})
        if value in ("no", False):
            return queryset.filter(**{self.lookup: False})
        return queryset


def apply_filters(
    queryset: QuerySet, filters: Mapping[str, Any], declared: Mapping[str, Filter]
) -> QuerySet:
    """Narrow ``queryset`` by each declared filter whose key ``filters`` gives a value."""
    for key, declared_filter in declared.items():
        value = filters.get(key)
        if value is not None and value != "":
            queryset = declared_filter.apply(queryset, value)
    return queryset


class FilterForm(forms.Form):
    """A list's filters as a plain GET form.

    ``filters()`` is what the list's filter function takes: every valid filter the reader chose.
    An invalid value is dropped (and shown beside its field); the other filters still apply.
    """

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value}


def as_id(value: Any) -> int | None:
    """A primary key from a filter's value, or None when it cannot be one (not a whole number,
    below 1, or beyond a big integer column)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None
