"""Vocabulary look-ups for one import: names to term ids, in memory, new free labels created.

Each vocabulary is read once per import (``TermResolver``); every distinct spelling is then
resolved once and remembered, so a 250,000-record file costs a dict look-up per value.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.normalize import code_slug, name_key
from rightstrack.taxonomy.selectors import TermResolver
from rightstrack.taxonomy.services import term_create

from ..models import Document

# Vocabularies whose labels grow with the sources (UHRI renames and adds themes and groups of
# affected persons): an unknown label becomes a new term instead of being dropped.
FREE_LABEL_SCHEMES = {Scheme.UHRI_THEME.value, Scheme.AFFECTED_PERSONS.value}
# "A12 Acceptance of international norms": the older UHRI theme codes before the name.
_CODED_LABEL = re.compile(r"^([A-H]\d{1,2})\s+(\S.*)$")

# State names as documents write them: "the Netherlands", "Bolivia (Plurinational State of)",
# "Korea, Republic of", "Republic of Slovenia", footnote marks, and names broken over lines.
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_MARKS = re.compile(r"^[\s*†‡\-–—•.,;:]+|[\s*†‡\d,;:.]+$")
_OFFICIAL_IN_PARENTHESES = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<official>[^()]*)\)$")
_OFFICIAL_AFTER_COMMA = re.compile(r"^(?P<name>[^,]+),\s*(?P<official>.+\bof(?: the)?)$")
_OFFICIAL_PREFIX = re.compile(
    r"^(?:(?:the\s+)?(?:federal\s+|socialist\s+|democratic\s+|islamic\s+|united\s+)?"
    r"(?:republic|kingdom|state|principality|sultanate|commonwealth|grand\s+duchy|federation)"
    r"\s+of\s+(?:the\s+)?)",
    re.IGNORECASE,
)
_LINE_BREAK_HYPHEN = re.compile(r"(?<=\w)[-\u00ad]\s+(?=\w)")


@dataclass(frozen=True, slots=True)
class StateMatch:
    """A State found for a name: its term id and, when the name had to be mended to be read
    ("Slove nia", "Switzer-\nland"), the warning that says so."""

    term_id: int
    warning: str = ""


def _state_variants(value):
    """Readings of a State name, the plainest first: "the X", "X (Y of)" → "Y of X", "X, Y of",
    "Republic of X" → "X"."""
    name = _MARKS.sub("", " ".join(str(value).split()))
    variants = [name]
    bare = _THE.sub("", name)
    variants.append(bare)
    official = _OFFICIAL_IN_PARENTHESES.match(bare) or _OFFICIAL_AFTER_COMMA.match(bare)
    if official:
        variants += [f"{official['official']} {official['name']}", official["name"]]
    stripped = _OFFICIAL_PREFIX.sub("", bare)
    if stripped != bare:
        variants.append(stripped)
    return [variant for variant in dict.fromkeys(variants) if variant]


class UnknownTerm(Exception):
    def __init__(self, scheme, value):
        self.scheme, self.value = scheme, value
        label = Scheme(scheme).label if scheme in Scheme.values else scheme
        super().__init__(
            _("unknown %(vocabulary)s “%(value)s”")
            % {
                "vocabulary": str(label).lower(),
                "value": value,
            }
        )


class ImportTerms:
    """Term ids by name for every vocabulary an import touches."""

    def __init__(self, *, ledger=None):
        # An import applying in steps notes the terms it creates (ledger.py), to take them
        # back if it fails.
        self.ledger = ledger
        self._resolvers = {}
        self._ids = {}
        self._codes = {}
        self._states = {}
        self._compact_states = None

    def _resolver(self, scheme):
        if scheme not in self._resolvers:
            self._resolvers[scheme] = TermResolver(scheme)
            self._codes[scheme] = {term.code for term in self._resolvers[scheme].terms}
        return self._resolvers[scheme]

    def _lookup(self, scheme, value):
        resolver = self._resolver(scheme)
        term = resolver.resolve(value)
        if term is None:
            coded = _CODED_LABEL.match(value)
            if coded:
                term = resolver.resolve(coded.group(1)) or resolver.resolve(coded.group(2))
        return term.pk if term else None

    def find(self, scheme, value):
        """The id of the term that value names in scheme, or None."""
        key = (scheme, value)
        if key not in self._ids:
            self._ids[key] = self._lookup(scheme, value)
        return self._ids[key]

    def find_state(self, value):
        """The State a name means, read tolerantly (see ``_state_variants``), or None.

        Names broken by a stray space, a line break or a hyphenation break ("Slove nia",
        "Switzer-\nland") are found too, with a warning: the name had to be mended.
        """
        key = str(value)
        if key not in self._states:
            self._states[key] = self._find_state(key)
        return self._states[key]

    def _find_state(self, value):
        for variant in _state_variants(value):
            term_id = self.find(Scheme.STATE, variant)
            if term_id is not None:
                return StateMatch(term_id)
        mended_name = _LINE_BREAK_HYPHEN.sub("", " ".join(value.split()))
        for variant in _state_variants(mended_name):
            term_id = self._compact_state(variant)
            if term_id is not None:
                return StateMatch(
                    term_id,
                    _("State name “%(name)s” read as “%(state)s”")
                    % {"name": " ".join(value.split()), "state": self._state_label(term_id)},
                )
        return None

    def _compact_state(self, value):
        """The State whose name, without any space, is the value without any space."""
        if self._compact_states is None:
            self._compact_states = {}
            for term in self._resolver(Scheme.STATE).terms:
                names = [term.label_en, term.label_ru, term.short_label_en, *term.aliases]
                for name in names:
                    for variant in _state_variants(name) if name else ():
                        compact = name_key(variant).replace(" ", "")
                        if compact:
                            self._compact_states.setdefault(compact, term)
        term = self._compact_states.get(name_key(value).replace(" ", ""))
        return term.pk if term else None

    def _state_label(self, term_id):
        return next(
            (term.label_en for term in self._resolver(Scheme.STATE).terms if term.pk == term_id),
            "",
        )

    def get(self, scheme, value):
        """The id of the term value names; a new term for a free label; else UnknownTerm."""
        term_id = self.find(scheme, value)
        if term_id is None:
            if scheme not in FREE_LABEL_SCHEMES:
                raise UnknownTerm(scheme, value)
            term_id = self._ids[(scheme, value)] = self._create(scheme, value)
        return term_id

    def _create(self, scheme, value):
        coded = _CODED_LABEL.match(value)
        code, label = (coded.group(1), coded.group(2)) if coded else (None, value)
        label = label[:1].upper() + label[1:]
        base = code_slug(label)[:90] or "term"
        slug, suffix = base, 1
        while slug in self._codes[scheme]:
            suffix += 1
            slug = f"{base}-{suffix}"
        # The import itself was authorised; the vocabulary grows as the system (actor None).
        with transaction.atomic():
            term = term_create(
                actor=None,
                data={
                    "scheme": scheme,
                    "code": slug,
                    "label_en": label,
                    "aliases": [code] if code else [],
                },
            )
            if self.ledger is not None:
                self.ledger.created(Term, [term.pk])
                self.ledger.save()
        self._codes[scheme].add(slug)
        # Later spellings of the same label find it through a fresh look-up of this resolver.
        self._resolvers.pop(scheme, None)
        self._resolver(scheme)
        return term.pk


class ImportDocuments:
    """Document ids by symbol; a document first met in an import is created."""

    def __init__(self, *, ledger=None):
        self.ledger = ledger
        self._ids = {}

    def get(self, draft, *, state_id, mechanism_id):
        symbol = draft.document_symbol
        if symbol in self._ids:
            return self._ids[symbol]
        document = Document.objects.filter(symbol=symbol).first()
        if document is None:
            with transaction.atomic():
                document = Document.objects.create(
                    symbol=symbol,
                    title=draft.document_title[:500],
                    kind=draft.document_kind or "other",
                    mechanism_id=mechanism_id,
                    state_id=state_id,
                    date=draft.document_date,
                )
                if self.ledger is not None:
                    self.ledger.created(Document, [document.pk])
                    self.ledger.save()
        else:
            # A document created by another source may lack what this one knows.
            missing = {
                "title": draft.document_title[:500],
                "date": draft.document_date,
                "state_id": state_id,
                "mechanism_id": mechanism_id,
            }
            missing = {
                name: value
                for name, value in missing.items()
                if value and not getattr(document, name)
            }
            if missing:
                with transaction.atomic():
                    if self.ledger is not None:
                        before = {name: getattr(document, name) for name in missing}
                        self.ledger.updated(Document, [{"id": document.pk, **before}])
                        self.ledger.save()
                    Document.objects.filter(pk=document.pk).update(**missing)
        self._ids[symbol] = document.pk
        return document.pk
