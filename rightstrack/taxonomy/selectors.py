"""Reads of the vocabularies. Vocabularies are public: every user, signed in or not, sees them."""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict

from django.db.models import Count, Prefetch, QuerySet
from django.utils.functional import Promise

from .filters import filter_terms
from .models import Scheme, Term
from .normalize import name_key


class SchemeSummary(TypedDict):
    code: str
    label: str | Promise
    count: int


def scheme_list() -> list[SchemeSummary]:
    """Every vocabulary with its number of terms (zero for one not loaded yet), in Scheme order."""
    counts = {
        row["scheme"]: row["count"]
        for row in Term.objects.order_by().values("scheme").annotate(count=Count("id"))
    }
    return [
        {"code": scheme.value, "label": scheme.label, "count": counts.get(scheme.value, 0)}
        for scheme in Scheme
    ]


def term_list(*, scheme: str, filters: Mapping[str, Any] | None = None) -> QuerySet[Term]:
    """The terms of one vocabulary, filtered and sorted (see filters.filter_terms)."""
    terms = Term.objects.filter(scheme=scheme).select_related("parent")
    return filter_terms(terms, filters)


TERM_ORDER = ("position", "code")  # a vocabulary's own order


def terms_by_scheme(scheme: str) -> QuerySet[Term]:
    """The active terms of one vocabulary in their vocabulary order, e.g. for form choices."""
    return Term.objects.filter(scheme=scheme, is_active=True).order_by(*TERM_ORDER)


def active_terms_grouped(*schemes: str) -> dict[str, list[Term]]:
    """The active terms of these vocabularies, each list in vocabulary order (one query)."""
    grouped: dict[str, list[Term]] = {scheme: [] for scheme in schemes}
    for term in Term.objects.filter(scheme__in=schemes, is_active=True).order_by(*TERM_ORDER):
        grouped[term.scheme].append(term)
    return grouped


def prefetch_terms(*relations: str) -> list[Prefetch]:
    """Prefetches of a record's terms (e.g. ``"thematic_pillars"``), each in vocabulary order."""
    return [
        Prefetch(relation, queryset=Term.objects.order_by(*TERM_ORDER)) for relation in relations
    ]


def parent_choices(*, scheme: str) -> QuerySet[Term]:
    """The terms that are parents of terms of a vocabulary (regional groups for States)."""
    return (
        Term.objects.filter(children__scheme=scheme)
        .distinct()
        .order_by("scheme", "position", "code")
    )


# "16.2 - Protect children from abuse…" (UHRI SDG targets), "A1 - Scope of …": a code, then a name.
_CODE_THEN_NAME = re.compile(r"^\s*(?P<code>[A-Za-z]?\d+(?:\.\w+)?)\s+[-–—]\s+\S")


class TermResolver:
    """Resolves names, codes and aliases of one vocabulary's terms, for importers.

    The vocabulary is read once, when the resolver is made; each ``resolve`` is then a dict
    look-up. Matching ignores case, accents, punctuation, "&" versus "and" and whitespace
    (see ``normalize.name_key``): "Russian Federation", "russia", "RUS" and "Российская
    Федерация" are all the same State, "- CRC" is the Committee on the Rights of the Child, and
    "16.2 - Protect children from abuse…" is SDG target 16.2. Unknown values resolve to None.

    When two terms share a name, a code beats a label, a label beats an alias, and an alias
    beats a short label.
    """

    def __init__(self, scheme: str) -> None:
        self.scheme = str(scheme)
        self.terms = list(Term.objects.filter(scheme=self.scheme).order_by(*TERM_ORDER))
        self._by_key: dict[str, Term] = {}
        names_of_term: tuple[Callable[[Term], list[str]], ...] = (
            lambda term: [term.code],
            lambda term: [term.label_en, term.label_ru],
            lambda term: term.aliases,
            lambda term: [term.short_label_en, term.short_label_ru],
        )
        for names_of in names_of_term:
            for term in self.terms:
                for name in names_of(term):
                    key = name_key(name)
                    if key:
                        self._by_key.setdefault(key, term)

    def resolve(self, value: object) -> Term | None:
        """The term that value names, or None."""
        key = name_key(value)
        if not key:
            return None
        term = self._by_key.get(key)
        if term is None and value is not None:
            match = _CODE_THEN_NAME.match(str(value))
            if match:
                term = self._by_key.get(name_key(match["code"]))
        return term

    __call__ = resolve

    def resolve_many(self, values: Iterable[object] | None) -> tuple[list[Term], list[object]]:
        """(terms found, in order and without repeats; values not found) for a list of names."""
        found: list[Term] = []
        unknown: list[object] = []
        for value in values or ():
            term = self.resolve(value)
            if term is None:
                if value not in unknown:
                    unknown.append(value)
            elif term not in found:
                found.append(term)
        return found, unknown

    def __contains__(self, value: object) -> bool:
        return self.resolve(value) is not None

    def __len__(self) -> int:
        return len(self.terms)


def term_resolver(scheme: str) -> TermResolver:
    return TermResolver(scheme)
