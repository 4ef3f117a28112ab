"""Is a source record a recommendation we hold already? The matching an import does.

Only recommendations of the same State under review, mechanism and *scope* are compared: the UPR
session (every UPR source names it), else the document. Within a scope:

1. **Number.** A numbered source (Working Group report, thematic list: "98.16") is the numbered
   recommendation of the scope with that number (and the same document, when both name one),
   unless that one holds a source of the same family already (``same_number``).
2. **Text and State.** An unnumbered source (a UPR Info row: one recommending State's wording; a
   UHRI record) is compared with each candidate's wordings. A Working Group report joins several
   States' wordings under one number ("Declare a moratorium … (Brazil); introduce … (Italy)"), so
   the row is compared with the wordings of *its* State when the candidate lists it, and with the
   whole text otherwise. Similarity is the Dice coefficient of the sets of normalised words
   (lower case, letters and digits, common function words left out).

   - confident: the row's State made the wording and the similarity is at least
     ``CONFIDENT_WITH_STATE``, or the State is not named there (a spelling the vocabulary does
     not know) but the texts are all but the same (``CONFIDENT_TEXT_ONLY``); and the best
     candidate leads the next one by ``MARGIN``. The source joins that recommendation.
   - doubtful: the best score is at least ``DOUBTFUL``: the source gets a recommendation of its
     own and the review queue a ``MatchCandidate`` for each such candidate.
   - else: a recommendation of its own.

   An unnumbered candidate is compared only when it lists the row's State and holds no source
   of the same family (two UPR Info rows are never one recommendation unless a numbered source
   says so).
3. **Reverse order.** When the numbered source comes after the unnumbered ones (UPR Info first,
   the report later), the unnumbered recommendations of the scope are compared the same way with
   the new numbered sources; those that match one confidently are merged into one recommendation
   carrying it.
"""

import re
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

CONFIDENT_WITH_STATE = 0.6
CONFIDENT_TEXT_ONLY = 0.9
MARGIN = 0.1
DOUBTFUL = 0.4
# Candidates a doubtful source is queued with, at most.
MAX_QUEUED = 3

_WORD = re.compile(r"[^\W_]+")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "which",
        "with",
        "all",
        "also",
        "such",
        "other",
    ]
)


# ASCII letters and digits as they are (capitals in lower case), any other ASCII byte a space:
# an ASCII text's words are then what ``_WORD`` finds in it, found in half the time.
_ASCII_WORDS = bytes(
    byte | 0x20 if byte < 0x80 and chr(byte).isalnum() else 0x20 for byte in range(256)
)


@lru_cache(maxsize=200_000)
def words(text: str) -> frozenset[str]:
    """The normalised words of a text, as a set."""
    if text.isascii():
        # An import compares a few records with every recommendation of their scopes: the words
        # of 184,000 texts held in a bench import of 30,000 records (bench/import_speed.py).
        found = text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    else:
        found = _WORD.findall(text.lower())
    return frozenset(found) - _FUNCTION_WORDS


def similarity(first: str, second: str) -> float:
    """Dice coefficient of the two texts' sets of normalised words (0 to 1)."""
    a, b = words(first), words(second)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def family(source_key: str) -> str:
    """The source a key comes from: "upr-info", "uhri", "doc", "thematic-list", "table"…"""
    return source_key.split(":", 1)[0]


@dataclass
class Candidate:
    """A recommendation held (or about to be created in this chunk) that a source may be."""

    id: int | None  # None: a numbered source of this chunk, not written yet
    number: str
    text: str
    # [(wording text, {state ids})]
    wordings: list[tuple[str, frozenset[int]]]
    states: frozenset[int]
    families: set[str] = field(default_factory=set)
    document_id: int | None = None
    # The new numbered record this candidate stands for (reverse matching), if any.
    record: object = None


@dataclass
class Scored:
    candidate: Candidate
    score: float
    confident: bool
    # Whether the score compares the source with a wording of its own State.
    by_state: bool = False


def score(text: str, states: Iterable[int], candidate: Candidate) -> Scored:
    """How likely an unnumbered source (its text and recommending States) is ``candidate``."""
    state_set = set(states)
    with_state = 0.0
    any_text = similarity(text, candidate.text)
    for wording, wording_states in candidate.wordings:
        value = similarity(text, wording)
        any_text = max(any_text, value)
        if state_set & wording_states:
            with_state = max(with_state, value)
    if not candidate.wordings and state_set & candidate.states:
        with_state = any_text
    if with_state >= CONFIDENT_WITH_STATE:
        return Scored(candidate, with_state, True, by_state=True)
    if any_text >= CONFIDENT_TEXT_ONLY:
        return Scored(candidate, any_text, True)
    # A wording of another State, however alike, is weaker evidence than one of the same State.
    return Scored(candidate, max(with_state, any_text * 0.8), False)


def same_number(
    candidate: Candidate, *, number: str, document_id: int | None, source_family: str
) -> bool:
    """Whether a numbered source is the numbered ``candidate``: the same number in the same
    document (when both name one), and no source of the same family on it already (a UHRI
    export may hold several records of one paragraph: they stay apart)."""
    return (
        bool(number)
        and candidate.number == number
        and (
            candidate.document_id is None
            or document_id is None
            or candidate.document_id == document_id
        )
        and source_family not in candidate.families
    )


def eligible(candidate: Candidate, source_family: str, states: Iterable[int]) -> bool:
    """Whether an unnumbered source of ``source_family`` may be compared with ``candidate``."""
    return may_meet(candidate, source_family) and (
        bool(candidate.number) or bool(set(states) & candidate.states)
    )


def may_meet(candidate: Candidate, source_family: str) -> bool:
    """Whether a source of ``source_family`` may ever be ``candidate`` whatever its States: a
    numbered candidate, or one without a source of that family (two UPR Info rows are never one
    recommendation)."""
    return bool(candidate.number) or source_family not in candidate.families


@dataclass
class Decision:
    """What to do with an unnumbered source: join ``join`` (confident), else queue ``doubtful``
    (with their scores), else nothing."""

    join: Candidate | None
    doubtful: list[Scored]
    # Whether ``join`` won among the wordings of the source's own States, the candidates that
    # name one of them: others, however alike, could not have changed the decision.
    by_state: bool = False


def decide(
    text: str, states: Sequence[int], source_family: str, candidates: Iterable[Candidate]
) -> Decision:
    scored = sorted(
        (
            score(text, states, candidate)
            for candidate in candidates
            if eligible(candidate, source_family, states)
        ),
        key=lambda item: -item.score,
    )
    if not scored:
        return Decision(None, [])
    # A wording of the source's own State outranks any other: another State may well have made
    # much the same recommendation under another number.
    by_state = [item for item in scored if item.by_state]
    if by_state:
        runner_up = by_state[1].score if len(by_state) > 1 else 0.0
        if by_state[0].score - runner_up >= MARGIN:
            return Decision(by_state[0].candidate, [], by_state=True)
    best = scored[0]
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    if best.confident and best.score - runner_up >= MARGIN:
        return Decision(best.candidate, [])
    doubtful = [item for item in scored[:MAX_QUEUED] if item.score >= DOUBTFUL]
    return Decision(None, doubtful)


_T = TypeVar("_T")
# How many of a source's rarest words (fewest candidates use them) find candidates.
RARE_WORDS = 4


def sharing(items: Iterable[tuple[_T, str]], text_words: AbstractSet[str]) -> dict[str, list[_T]]:
    """{word: the items (of (item, its text)) whose text uses it}, for these words only."""
    found: dict[str, list[_T]] = {}
    for item, text in items:
        for word in words(text) & text_words:
            found.setdefault(word, []).append(item)
    return found


def rarest(text_words: Iterable[str], by_word: Mapping[str, Sequence[_T]]) -> list[_T]:
    """The items using one of the ``RARE_WORDS`` words of ``text_words`` that fewest items use
    (``by_word``: {word: the items using it}), word by word.

    Words used by as many items are taken in alphabetical order: ``text_words`` is a set, whose
    order changes with each process's string hashing, so which candidates a source was compared
    with (and so what it joined) could differ from one import of the same file to the next."""
    known = [word for word in text_words if word in by_word]
    known.sort(key=lambda word: (len(by_word[word]), word))
    return [item for word in known[:RARE_WORDS] for item in by_word[word]]


def named_states(candidate: Candidate) -> set[int]:
    """The States a candidate names: its recommending States and its wordings'."""
    states = set(candidate.states)
    for _text, wording_states in candidate.wordings:
        states |= wording_states
    return states


_K = TypeVar("_K")


def _extend(
    index: dict[_K, list[Candidate]],
    candidates: Iterable[Candidate],
    keys_of: Callable[[Candidate], Iterable[_K]],
) -> dict[_K, list[Candidate]]:
    """``index`` ({key: candidates}) with these candidates under each of their keys."""
    for candidate in candidates:
        for key in keys_of(candidate):
            index.setdefault(key, []).append(candidate)
    return index


def _text_words(candidate: Candidate) -> frozenset[str]:
    return words(candidate.text)


class CandidateIndex:
    """The candidates of one scope, looked up by number, by recommending State and by their
    rarest words, so that a source is scored against the few that may be it rather than every
    recommendation of the scope."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates: list[Candidate] = []
        self.by_number: dict[str, list[Candidate]] = {}
        # Built on the first look-up by State or by text: numbered sources need neither, and
        # an import indexes every recommendation of a scope (hundreds) to look up a few numbers.
        self._by_state: dict[int, list[Candidate]] | None = None
        self._by_word: dict[str, list[Candidate]] | None = None
        # Whether a look-up scanned the candidates already (the next ones build the index).
        self._scanned = False
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)
        if candidate.number:
            self.by_number.setdefault(candidate.number, []).append(candidate)
        if self._by_state is not None:
            _extend(self._by_state, [candidate], named_states)
        if self._by_word is not None:
            _extend(self._by_word, [candidate], _text_words)

    @property
    def by_state(self) -> dict[int, list[Candidate]]:
        if self._by_state is None:
            self._by_state = _extend({}, self.candidates, named_states)
        return self._by_state

    @property
    def by_word(self) -> dict[str, list[Candidate]]:
        if self._by_word is None:
            self._by_word = _extend({}, self.candidates, _text_words)
        return self._by_word

    def numbered(self, number: str) -> list[Candidate]:
        return self.by_number.get(number, [])

    def named_by(self, states: Iterable[int]) -> list[Candidate]:
        """The candidates that name one of ``states`` (a wording's or a recommending State):
        all that ``decide`` may find by a State's own wording."""
        found: dict[int, Candidate] = {}
        for state in states:
            for candidate in self.by_state.get(state, ()):
                found[id(candidate)] = candidate
        return list(found.values())

    def _sharing(self, text_words: frozenset[str]) -> dict[str, list[Candidate]]:
        """{word: the candidates using it} for these words only: the first look-up of a scope
        (often its only one) scans the candidates rather than index every word of them."""
        if self._by_word is not None or self._scanned:
            return self.by_word
        self._scanned = True
        return sharing(((candidate, candidate.text) for candidate in self.candidates), text_words)

    def likely(self, text: str, states: Iterable[int]) -> list[Candidate]:
        """The candidates that name one of ``states`` or share one of the text's rarest words."""
        found = {id(candidate): candidate for candidate in self.named_by(states)}
        text_words = words(text)
        for candidate in rarest(text_words, self._sharing(text_words)):
            found[id(candidate)] = candidate
        return list(found.values())


# Candidates an import keeps in memory at most (about 1 KB each): beyond it the scopes used
# least recently are let go, and read again when next needed. Records about recommendations
# held (updates, another export's copies) fall anywhere in the database, so a limit much below
# the recommendations held means reading whole scopes over and over: 300,000 (about 300 MB).
HELD_LIMIT = 300_000


class HeldScopes:
    """The candidates of every scope an import has read, kept across its steps and chunks.

    Each step of an import (a short transaction, see imports/service.py) matches its records
    against the recommendations of their scopes, and a UPR session holds hundreds of them: read
    afresh in every step, the same scopes were read, turned into candidates and split into
    words again and again. Kept here instead, a scope is read once per import; the import hands
    back the recommendations it changes itself (``replace``), and whoever keeps it empties it
    (``clear``) when anyone else may have written in between.

    Each scope's candidates stay in the order of their ids, the order the database gives them
    in, so that the decisions (which depend on the order of equal scores) are the same however
    often a scope is read. The scopes used least recently are let go beyond ``limit``
    candidates."""

    def __init__(self, limit: int = HELD_LIMIT) -> None:
        self.limit = limit
        self._scopes: OrderedDict[Hashable, list[Candidate]] = OrderedDict()
        # {scope: {number ("" for none): its candidates in id order}}: a numbered record looks
        # up its number, not every recommendation of its scope (thousands after a large import).
        self._by_number: dict[Hashable, dict[str, list[Candidate]]] = {}
        self._scope_of: dict[int, Hashable] = {}
        self._size = 0

    def __contains__(self, scope: Hashable) -> bool:
        return scope in self._scopes

    def __len__(self) -> int:
        return self._size

    def add(self, scope: Hashable, candidates: Iterable[Candidate]) -> None:
        """Keep a scope just read (all its candidates); replaces what was kept of it."""
        self._drop(scope)
        kept = sorted(candidates, key=_candidate_id)
        self._scopes[scope] = kept
        by_number: dict[str, list[Candidate]] = {}
        self._by_number[scope] = by_number
        self._size += len(kept)
        for candidate in kept:
            by_number.setdefault(candidate.number, []).append(candidate)
            if candidate.id is not None:
                self._scope_of[candidate.id] = scope

    def of(self, scope: Hashable) -> list[Candidate]:
        """The candidates kept of a scope, in the order of their ids (none when not kept)."""
        if scope not in self._scopes:
            return []
        self._scopes.move_to_end(scope)
        return self._scopes[scope]

    def with_numbers(self, scope: Hashable, numbers: Iterable[str]) -> list[Candidate]:
        """The candidates kept of a scope that have one of these numbers or none, in the order
        of their ids."""
        if scope not in self._scopes:
            return []
        self._scopes.move_to_end(scope)
        by_number = self._by_number[scope]
        found = [candidate for number in {*numbers, ""} for candidate in by_number.get(number, ())]
        return sorted(found, key=_candidate_id)

    def replace(self, ids: Iterable[int], fresh: Iterable[tuple[Hashable, Candidate]]) -> None:
        """The recommendations ``ids`` changed (created, joined, merged away, moved to another
        scope): forget what was kept of them and keep ``fresh`` ((scope, candidate) as they are
        now, those deleted absent) in the scopes kept."""
        for pk in ids:
            scope = self._scope_of.pop(pk, None)
            if scope is None or scope not in self._scopes:
                continue
            candidates = self._scopes[scope]
            # In the order of their ids: found by halving, not by reading a scope's hundreds.
            at = bisect_left(candidates, pk, key=_candidate_id)
            if at < len(candidates) and candidates[at].id == pk:
                candidate = candidates.pop(at)
                self._size -= 1
                same = self._by_number[scope][candidate.number]
                same[:] = [other for other in same if other is not candidate]
        for scope, candidate in fresh:
            if scope in self._scopes and candidate.id is not None:
                insort(self._scopes[scope], candidate, key=_candidate_id)
                numbered = self._by_number[scope].setdefault(candidate.number, [])
                insort(numbered, candidate, key=_candidate_id)
                self._scope_of[candidate.id] = scope
                self._size += 1

    def shrink(self, keep: Iterable[Hashable] = ()) -> None:
        """Let go of the scopes used least recently while more than ``limit`` candidates are
        kept, but not those of ``keep`` (in use)."""
        if self._size <= self.limit:
            # Most steps: nothing to let go. Listing every scope kept (thousands after a large
            # import) in every step added up to 0.7 s of a 100,000-record import's profile.
            return
        kept = set(keep)
        for scope in list(self._scopes):
            if self._size <= self.limit:
                return
            if scope not in kept:
                self._drop(scope)

    def clear(self) -> None:
        self._scopes.clear()
        self._by_number.clear()
        self._scope_of.clear()
        self._size = 0

    def _drop(self, scope: Hashable) -> None:
        candidates = self._scopes.pop(scope, None)
        self._by_number.pop(scope, None)
        if candidates is None:
            return
        self._size -= len(candidates)
        for candidate in candidates:
            if candidate.id is not None and self._scope_of.get(candidate.id) == scope:
                del self._scope_of[candidate.id]


def _candidate_id(candidate: Candidate) -> int:
    return candidate.id or 0
