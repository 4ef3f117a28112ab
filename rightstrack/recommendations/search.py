"""Full-text search over recommendation text, the same for SQLite (FTS5) and PostgreSQL.

Both backends read an index made by the migrations: on SQLite the external-content FTS5 table
``recommendations_fts`` (porter stemming, migration 0002), on PostgreSQL the stored generated
column ``search_vector`` = ``to_tsvector('english'::regconfig, text)`` with its GIN index
(migration 0005).

What a user types is parsed once (:func:`parse_query`): words, "quoted phrases", ``OR`` between
two alternatives and ``-word`` to exclude. SQLite receives an FTS5 query rebuilt from those parts
with every word quoted, so no user input can be an FTS5 syntax error; PostgreSQL receives the
text through ``websearch_to_tsquery``, which accepts the same syntax and never fails either.
"""

import re
from dataclasses import dataclass
from typing import Protocol

from django.db import connections
from django.db.models import BooleanField, FloatField, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from rightstrack.core.expressions import OverColumns

from .extensions import registered

FTS_TABLE = "recommendations_fts"
RECOMMENDATION_TABLE = "recommendations_recommendation"
POSTGRES_CONFIG = "english"
# The stored tsvector column beside ``text`` (not a model field: PostgreSQL computes it).
POSTGRES_VECTOR_COLUMN = "search_vector"
POSTGRES_QUERY = "websearch_to_tsquery('english'::regconfig, %s)"
MAX_QUERY_LENGTH = 500
MAX_TERMS = 32

# PostgreSQL's English stop words (tsearch_data/english.stop): its full-text search leaves them
# out of a query and of the index. The SQLite search leaves them out of a query too, so a query
# means the same on both databases ("the torture" finds what "torture" finds) and a query of
# such words alone ("the") searches for nothing (RecommendationFilters.searchable).
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Quoted phrases, or runs of anything that is neither space nor a quote.
_CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Phrase:
    """One or more words that must appear together, in order."""

    words: tuple[str, ...]

    def fts5(self):
        return '"' + " ".join(self.words).replace('"', '""') + '"'


@dataclass(frozen=True)
class TextQuery:
    """A parsed query: every group must match (one of its phrases), no excluded phrase may."""

    raw: str
    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]
    # Phrases of stop words alone, left out (STOP_WORDS).
    ignored: tuple[Phrase, ...] = ()

    def __bool__(self):
        return bool(self.groups)

    @property
    def only_stop_words(self):
        """Whether every word typed is a stop word (nothing is left to search for)."""
        return bool(self.ignored) and not self.groups and not self.excluded

    @property
    def words(self):
        """The words to highlight: those of the wanted phrases, never of the excluded ones."""
        seen = []
        for group in self.groups:
            for phrase in group:
                for word in phrase.words:
                    if word.lower() not in seen:
                        seen.append(word.lower())
        return seen

    def fts5(self):
        """The query in FTS5 syntax, built only from quoted strings and operators."""
        parts = []
        for group in self.groups:
            alternatives = [phrase.fts5() for phrase in group]
            parts.append(
                alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
            )
        wanted = " AND ".join(parts)
        if not self.excluded:
            return wanted
        unwanted = " OR ".join(phrase.fts5() for phrase in self.excluded)
        return f"({wanted}) NOT ({unwanted})"


def parse_query(raw):
    """Parse what a user typed; anything that is not a word is ignored rather than refused."""
    # NUL cannot travel to PostgreSQL; no one types it on purpose.
    raw = (raw or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    groups = []
    excluded = []
    ignored = []
    join_with_previous = False
    for match in _CHUNK.finditer(raw):
        quoted, bare = match.group(1), match.group(2)
        chunk = quoted if quoted is not None else bare
        if quoted is None and chunk == "OR":
            join_with_previous = bool(groups)
            continue
        if quoted is None and chunk == "AND":
            continue
        negated = quoted is None and chunk.startswith("-") and len(chunk) > 1
        words = tuple(_WORD.findall(chunk))
        if not words:
            continue
        phrase = Phrase(words)
        if all(word.lower() in STOP_WORDS for word in words):
            # As PostgreSQL does: a stop word alone is no condition, wanted or excluded.
            ignored.append(phrase)
            join_with_previous = False
            continue
        if negated:
            excluded.append(phrase)
        elif join_with_previous:
            groups[-1] = (*groups[-1], phrase)
        else:
            groups.append((phrase,))
        join_with_previous = False
        if len(groups) + len(excluded) >= MAX_TERMS:
            break
    return TextQuery(
        raw=raw, groups=tuple(groups), excluded=tuple(excluded), ignored=tuple(ignored)
    )


class TextMatch(OverColumns):
    """``WHERE`` condition: the recommendation's text matches the query.

    Safe inside subqueries: the columns are compiled with whatever alias the query gives them.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, query):
        super().__init__("pk", "text")
        self.query = query

    def as_sql(self, compiler, connection):
        pk_ref, text_ref = self.refs
        if connection.vendor == "postgresql":
            text_sql, text_params = compiler.compile(text_ref)
            sql = f"{_postgres_vector(text_sql)} @@ {POSTGRES_QUERY}"
            return sql, (*text_params, self.query.raw)
        pk_sql, pk_params = compiler.compile(pk_ref)
        # Only constants and compiled column names go into the SQL; the query is a parameter.
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
        return sql, (*pk_params, self.query.fts5())


class TextRank(OverColumns):
    """PostgreSQL's ``ts_rank`` of the text for the query: higher is more relevant."""

    output_field = FloatField()

    def __init__(self, query):
        super().__init__("text")
        self.query = query

    def as_sql(self, compiler, connection):
        text_sql, text_params = compiler.compile(self.refs[0])
        sql = f"ts_rank({_postgres_vector(text_sql)}, {POSTGRES_QUERY})"
        return sql, (*text_params, self.query.raw)


def _postgres_vector(text_sql):
    """The stored vector column of the same table alias as the compiled ``text`` column."""
    qualifier, _, column = text_sql.rpartition(".")
    if column.strip('"') != "text":
        raise ValueError(f"expected the text column, got {text_sql}")
    return f'{qualifier}."{POSTGRES_VECTOR_COLUMN}"' if qualifier else f'"{POSTGRES_VECTOR_COLUMN}"'


def apply_text_search(queryset, q, *, rank=False):
    """Keep the recommendations whose text matches ``q``; with ``rank``, annotate
    ``search_rank`` (higher is more relevant) for ordering.

    An empty ``q`` keeps everything; a ``q`` with no searchable word keeps nothing.
    """
    query = q if isinstance(q, TextQuery) else parse_query(q)
    if not query.raw:
        return queryset
    if not query:
        nothing = queryset.none()
        return nothing.annotate(search_rank=Value(0.0)) if rank else nothing
    if not rank:
        return queryset.filter(TextMatch(query))
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(TextMatch(query)).annotate(search_rank=TextRank(query))
    # bm25() needs the FTS table in the same FROM clause: a correlated subquery per row would
    # run the full-text query once per match. The query is a bound parameter, never SQL text.
    # The join names the table, so a ranked queryset must not be nested in another query.
    return queryset.extra(  # noqa: S610
        tables=[FTS_TABLE],
        where=[
            f"{FTS_TABLE}.rowid = {RECOMMENDATION_TABLE}.id",
            f"{FTS_TABLE} MATCH %s",
        ],
        params=[query.fts5()],
        select={"search_rank": f"-bm25({FTS_TABLE})"},
    )


# Endings that stemming removes, so "tortured" and "torture" highlight each other.
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
    "e",
    "y",
)
_MIN_STEM = 3


def highlight_stem(word):
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def highlight_pattern(q):
    """A regular expression for the words of the query as they may appear in text."""
    query = q if isinstance(q, TextQuery) else parse_query(q)
    stems = sorted({highlight_stem(word) for word in query.words}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in stems)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text, pattern):
    """``text`` escaped for HTML, with each match of ``pattern`` wrapped in ``<mark>``.

    Matches are found in the raw text and every piece is escaped on its own, so neither a
    match nor the text around it can inject markup, and a match never splits an entity.
    """
    text = text or ""
    if pattern is None:
        return escape(text)
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


def sqlite_ranked_ids(q, allowed, start, stop, *, using="default"):
    """The ids in ``allowed`` that match ``q``, best first, from position ``start`` to ``stop``.

    FTS5 ranks from its own index alone; rows that other filters (or publication) rule out are
    skipped here, so no recommendation row is read to rank the matches. With a ``stop`` the
    ranking first keeps only the best few (a bounded sort, a quarter quicker than sorting
    every match of a common word) and sorts them all only when too many of those were ruled
    out.
    """
    query = q if isinstance(q, TextQuery) else parse_query(q)
    if not query:
        return []
    ranked = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank, rowid"  # noqa: S608
    if stop is not None:
        limit = RANKED_OVERSAMPLE * stop + RANKED_MARGIN
        found, read = _ranked_ids(using, f"{ranked} LIMIT {int(limit)}", query, allowed)
        if len(found) >= stop or read < limit:
            return found[start:stop]
    found, _read = _ranked_ids(using, ranked, query, allowed, stop)
    return found[start:stop]


# How many ranked matches are read for a page ending at ``stop``: enough for most searches
# whose other filters rule out many matches.
RANKED_OVERSAMPLE = 2
RANKED_MARGIN = 200


def _ranked_ids(using, sql, query, allowed, stop=None):
    """([ranked ids in ``allowed``] up to ``stop`` at least, how many ranked rows were read)."""
    found, read = [], 0
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [query.fts5()])
        while rows := cursor.fetchmany(2000):
            read += len(rows)
            found.extend(rowid for (rowid,) in rows if rowid in allowed)
            if stop is not None and len(found) >= stop:
                break
    return found, read


class MeaningMatch(Protocol):
    """One result of a search by meaning, as the intelligence app ranks it: the id, how close
    its text is in meaning (None when the index does not hold it yet), whether it has the
    words."""

    pk: int
    score: float | None
    matches_words: bool


class MeaningUnavailable(Exception):
    """No semantic index has been built: a search by meaning falls back to the words."""


def search_by_meaning(*, user, filters):
    """The results of a search by meaning (``mode=meaning``) as the intelligence app ranks them:
    [MeaningMatch] (id, closeness in meaning, whether it has the words), best first, among the
    recommendations ``user`` may see that the facets of ``filters`` keep.

    Raises MeaningUnavailable when no semantic index has been built, or when the intelligence
    app (which builds on this one and registers the search in extensions.py) is not installed.
    """
    hooks = registered.meaning_search
    if hooks is None:
        raise MeaningUnavailable
    return hooks.search(user=user, filters=filters)


def meaning_index_status(*, user):
    """How current the semantic index is (built_at, items, missing: recommendations the user
    may see that were added since it was built); None when it has not been built."""
    hooks = registered.meaning_search
    return None if hooks is None else hooks.index_status(user=user)
