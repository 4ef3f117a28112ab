"""How people name recommendations in a file they write (an action plan's template, say), and
how such names are found again.

A reference is one of:

- the document symbol and the number, "A/HRC/15/16 98.16" (further numbers of the same document
  may follow alone: "A/HRC/15/16 98.16, 98.17");
- the Universal Human Rights Index id, "uhri:0a1b2c…";
- the recommendation's own id in rightstrack, "#1234" (or "id:1234").

Several references share a cell, separated by ";", "," or new lines. ``reference_texts`` writes
the shortest reference that names each recommendation alone, so what it writes reads back to the
same recommendations.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .models import Recommendation

SEPARATORS = re.compile(r"[;,\n\r]+")
_OWN_ID = re.compile(r"^(?:#|id:\s*)(\d{1,12})$", re.IGNORECASE)
_UHRI = re.compile(r"^uhri\s*[:\s]\s*(\S+)$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\d{1,4}(?:\.\d{1,4})*(?:\s*\([a-z0-9]{1,4}\))?$", re.IGNORECASE)
UHRI_PREFIX = "uhri:"


def _symbol(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def reference_texts(recommendations: Iterable[Recommendation]) -> dict[int, str]:
    """{recommendation id: its reference}: symbol and number when no other recommendation has
    the same pair, else the UHRI id when it came from the index, else its own id."""
    records = list(recommendations)
    pairs = {(rec.document_id, rec.number) for rec in records if rec.document_id and rec.number}
    shared: Counter[tuple[int, str]] = Counter()
    if pairs:
        documents = {document_id for document_id, _number in pairs}
        numbers = {number for _document_id, number in pairs}
        shared.update(
            Recommendation.objects.filter(document_id__in=documents, number__in=numbers)
            .values_list("document_id", "number")
            .iterator()
        )
    texts = {}
    for rec in records:
        document = rec.document if rec.document_id else None
        if document is not None and rec.number and shared[(document.pk, rec.number)] == 1:
            texts[rec.pk] = f"{document.symbol} {rec.number}"
        elif rec.source_key.startswith(UHRI_PREFIX):
            texts[rec.pk] = rec.source_key
        else:
            texts[rec.pk] = f"#{rec.pk}"
    return texts


def reference_order(text: str) -> tuple[int, int, str]:
    """Sorts references as people read them: by document and number first, then UHRI ids,
    then own ids by number."""
    if text.startswith("#") and text[1:].isdigit():
        return (2, int(text[1:]), "")
    return (1 if text.startswith(UHRI_PREFIX) else 0, 0, text)


def _batches(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Found:
    """What the references of one cell name: recommendation ids, in order, and the reasons the
    others could not be found."""

    ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ReferenceFinder:
    """Finds references among the recommendations made to one State (``state_id``)."""

    def __init__(self, *, state_id: int) -> None:
        self.state_id = state_id
        # {reference: (pk, state_id) of the recommendations it names}, filled by prefetch.
        self.known: dict[str, list[tuple[int, int]]] = {}

    @staticmethod
    def references(cell: str) -> Iterator[str]:
        """The references of a cell, a number alone completed with the document of the
        reference just before it."""
        symbol = ""
        for part in SEPARATORS.split(cell):
            reference = " ".join(part.split())
            if not reference:
                continue
            if _NUMBER_ONLY.match(reference) and symbol:
                reference = f"{symbol} {reference}"
            first_word = reference.split(" ", 1)[0]
            symbol = first_word if " " in reference and "/" in first_word else ""
            yield reference

    def prefetch(self, cells: Iterable[str]) -> None:
        """Look up the references of many cells with a few queries, not some per reference."""
        ids: dict[int, str] = {}
        keys: dict[str, str] = {}
        pairs: dict[tuple[str, str], str] = {}
        for cell in cells:
            for reference in self.references(cell):
                if match := _OWN_ID.match(reference):
                    ids[int(match[1])] = reference
                elif match := _UHRI.match(reference):
                    keys[UHRI_PREFIX + match[1]] = reference
                else:
                    symbol, _space, number = reference.partition(" ")
                    if "/" in symbol and number:
                        pairs[(_symbol(symbol), number)] = reference
        rows = Recommendation.objects.order_by()
        for batch in _batches(list(ids)):
            for pk, state_id in rows.filter(pk__in=batch).values_list("pk", "state_id"):
                self.known.setdefault(ids[pk], []).append((pk, state_id))
        for batch in _batches(list(keys)):
            found = rows.filter(source_key__in=batch).values_list("pk", "state_id", "source_key")
            for pk, state_id, key in found:
                self.known.setdefault(keys[key], []).append((pk, state_id))
        symbols = {symbol for symbol, _number in pairs}
        for batch in _batches(sorted(symbols)):
            pairs_found = rows.filter(
                document__symbol__in=batch, number__in={number for _s, number in pairs}
            ).values_list("pk", "state_id", "document__symbol", "number")
            for pk, state_id, symbol, number in pairs_found:
                if (symbol, number) in pairs:
                    self.known.setdefault(pairs[(symbol, number)], []).append((pk, state_id))

    def find(self, cell: str) -> Found:
        found = Found()
        for reference in self.references(cell):
            matches, error = self._matches(reference)
            if error:
                found.errors.append(error)
                continue
            if len(matches) > 1:
                found.errors.append(
                    _("“%(reference)s” names %(count)d recommendations; give the id of one (#id)")
                    % {"reference": reference, "count": len(matches)}
                )
                continue
            if not matches:
                found.errors.append(
                    _("unknown recommendation “%(reference)s”") % {"reference": reference}
                )
                continue
            pk, state_id = matches[0]
            if state_id != self.state_id:
                found.errors.append(
                    _("recommendation “%(reference)s” was made to another State")
                    % {"reference": reference}
                )
            elif pk not in found.ids:
                found.ids.append(pk)
        return found

    def _matches(self, reference: str) -> tuple[list[tuple[int, int]], str]:
        if reference in self.known:
            return self.known[reference], ""
        recommendations = Recommendation.objects.order_by().values_list("pk", "state_id")
        if match := _OWN_ID.match(reference):
            return list(recommendations.filter(pk=int(match[1]))), ""
        if match := _UHRI.match(reference):
            key = UHRI_PREFIX + match[1]
            exact = list(recommendations.filter(source_key=key))
            if exact:
                return exact, ""
            # An index record addressed to several States is one record per State.
            return list(
                recommendations.filter(source_key__startswith=key + "/", state_id=self.state_id)
            ), ""
        symbol, _space, number = reference.partition(" ")
        if "/" not in symbol or not number:
            return [], _(
                "“%(reference)s” is not a reference to a recommendation (document symbol and "
                "number, uhri:…, or #id)"
            ) % {"reference": reference}
        symbol = _symbol(symbol)
        matches = list(recommendations.filter(document__symbol__iexact=symbol, number=number))
        if not matches:
            matches = list(recommendations.filter(source_key=f"doc:{symbol}#{number}"))
        return matches, ""
