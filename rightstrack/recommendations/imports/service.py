"""Importing a file of recommendations: parse, resolve, validate, write, record.

One file is one ``ImportBatch``, all or nothing, written so that nobody else's save waits long:

1. Reading: the whole file is parsed and resolved (names to terms, documents) without writing
   a record; its chunks are staged in a temporary file, so memory stays flat however large the
   file is. When a row cannot be read and ``skip_invalid`` is off, reading goes on to report
   every bad row, then the batch fails and nothing is written. The only writes of this pass are
   the documents and free-label terms the file names, each noted in the undo log.
2. Writing: the staged chunks are written with bulk statements in steps, each step a
   transaction of its own sized by its pace to hold the write lock about IMPORT_STEP_MS, with
   a rest after it (IMPORT_STEP_REST_PERCENT of the time it held the lock) in which other
   writers take their turn: SQLite's waiting writers poll for its one lock with growing
   sleeps, so a writer that took it again at once would starve them. Matching (dedup.py)
   decides inside the step, next to the writes it decides, on the scopes the import keeps in
   memory (``dedup.HeldScopes``): each is read once per import, before the step that first
   needs it takes the write lock, and takes what the import writes; all are let go when
   anyone else has written since they were read (the data version), so a short step costs no
   more matching than a long one.
3. The undo log (ledger.py): each step notes what it changed in the same transaction: rows
   created, the values before of source records updated, the values, recommending States and
   tags of recommendations held before they were worked out again, the merges it made. An
   import that raises (an error, a cancellation) is taken back from it, newest step first; one
   whose worker died is taken back by the job's lease check (jobs.py), resumably. The batch's
   result is recorded in the transaction that deletes its log.

While an import writes, what its steps wrote is visible; PostgreSQL takes the same path (there
a step only locks its rows, so no rest is needed). A dry run does all the work in one
transaction and rolls back (it holds the write lock while it runs).
"""

import contextlib
import json
import logging
import operator
import os
import pickle
import socket
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audited
from rightstrack.core.checksums import file_sha256
from rightstrack.core.collection import fewer_collections
from rightstrack.core.db_statistics import refresh_planner_statistics, table_names
from rightstrack.core.intake import UNPROCESSABLE, IntakeError, check_upload_size, unreadable
from rightstrack.core.roles import can_manage
from rightstrack.core.rows import rows_in
from rightstrack.core.types import AnyUser, User
from rightstrack.jobs.registry import interruption_message
from rightstrack.taxonomy.models import Scheme

from ..count_ahead import counted_once, wrote
from ..counts import VERSION_ROW
from ..dedup import (
    Candidate,
    CandidateIndex,
    HeldScopes,
    decide,
    family,
    may_meet,
    named_states,
    rarest,
    same_number,
    sharing,
    words,
)
from ..extensions import registered
from ..models import (
    DataVersion,
    ImportBatch,
    MatchCandidate,
    Position,
    Recommendation,
    RecommendationTag,
    SourceRecord,
    TagSource,
    TagStatus,
)
from ..sources import (
    EMPTY,
    STANDING_FIELDS,
    ensure_sources,
    kind_of_document,
    merge_into,
    merged_values,
    recompute,
    update_rows,
)
from .formats import AUTOMATIC, FORMATS, ImportFormat, detect_format
from .ledger import Ledger, forget, undo
from .records import FileFormatError, RecordDraft, RowError, RowWarning
from .terms import ImportDocuments, ImportTerms, UnknownTerm
from .values import noting_encodings
from .wordings import all_states, join_wordings, split_wordings

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
#: progress(records processed, records in the file when known), called after every chunk.
Progress = Callable[[int, int | None], object]

# Options of the formats that a batch keeps (besides state and skip_invalid).
FORMAT_OPTIONS = ("map", "symbol", "mechanism", "encoding")
CHUNK_SIZE = 2000
# Row errors kept on the batch; the count of rejected rows is always exact.
MAX_STORED_ERRORS = 1000
# The fields an import decides (a source's values); everything else (publication, clusters,
# people's tags) is left to people.
IMPORTED_FIELDS = STANDING_FIELDS
POSITIONS = frozenset(Position.values)
SUMMARY_FIELDS = ("status", "total", "created", "matched", "updated", "unchanged", "rejected")
# The tables an import of recommendations fills, whose planner statistics it refreshes.
IMPORTED_TABLES = table_names(Recommendation, RecommendationTag, SourceRecord)


ROWS_PER_STATEMENT = 500
# Keys per "IN (…)" look-up: short enough for the database driver to cache the statement.
KEYS_PER_QUERY = 200


def _max_query_params() -> int:
    if connection.vendor == "sqlite":
        # SQLite allows 32766 parameters since 3.32, 999 before. Django's SQLite backend is the
        # standard sqlite3 module, so its library version is sqlite3's.
        return 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
    return 65535


def _slices(values: Sequence[_T], size: int = KEYS_PER_QUERY) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _json_list(value: Any) -> list[Any]:
    """A JSON list column's value as read by a plain cursor (text on SQLite, parsed on
    PostgreSQL)."""
    if isinstance(value, str):
        return json.loads(value) if value not in ("", "[]") else []
    return value or []


class ImportFileError(ValidationError):
    """The file cannot be imported at all (unreadable, wrong format, beyond a limit of
    core.intake); the batch records it. ``status`` is the HTTP status to answer (413 for an
    upload too large, else 422); ``setting`` names the limit that was exceeded, if one was."""

    def __init__(
        self,
        message: str,
        *,
        batch: ImportBatch | None = None,
        status: int = UNPROCESSABLE,
        setting: str = "",
    ) -> None:
        super().__init__({"file": [message]})
        self.batch = batch
        self.reason = message
        self.status = status
        self.setting = setting

    @classmethod
    def of(cls, error: IntakeError, *, batch: ImportBatch | None = None) -> "ImportFileError":
        return cls(
            str(error),
            batch=batch,
            status=error.status,
            setting=getattr(error, "setting", ""),
        )


@dataclass(slots=True)
class _Resolved:
    key: str
    line: int | None
    values: dict[str, Any]  # {name: value} of IMPORTED_FIELDS
    recommending: list[int]  # term ids
    tags: list[int]  # term ids
    # Doubtful values read anyway, listed on the batch by line.
    warnings: list[str] = field(default_factory=list)
    document_kind: str = ""


def already_imported(*, format: str, path: str | Path) -> bool:
    """Whether this very file was imported in this format before (not as a dry run)."""
    return ImportBatch.objects.filter(
        format=format,
        checksum=file_checksum(path),
        status=ImportBatch.Status.SUCCEEDED,
        dry_run=False,
    ).exists()


def file_checksum(path: str | Path) -> str:
    try:
        return file_sha256(path)
    except OSError as error:
        raise unreadable(error) from None


def _recommending(
    draft: RecordDraft, terms: ImportTerms, warnings: list[str]
) -> tuple[str, list[dict], list[int]]:
    """(text, wordings, recommending State ids) of a draft, its States read tolerantly.

    A parenthesis whose names are no State at all is part of the text ("(Law on Equality)"):
    the draft's raw text is split again knowing which names are States. A name that is no
    State beside names that are is left out, with a warning.
    """
    text, wordings, names = draft.text, draft.wordings, draft.recommending_states

    def is_state(name: str) -> bool:
        return terms.find_state(name) is not None

    unknown = [name for name in names if not is_state(name)]
    if unknown and draft.raw_text:
        wordings = split_wordings(draft.raw_text, is_state=is_state)
        text, names = join_wordings(wordings), all_states(wordings)
        for name in unknown:
            if name not in names:
                warnings.append(
                    _("“%(name)s” in parentheses is not a State: kept in the text") % {"name": name}
                )
    recommending: list[int] = []
    for name in names:
        match = terms.find_state(name)
        if match is None:
            warnings.append(_("unknown recommending State “%(name)s” left out") % {"name": name})
            continue
        if match.warning:
            warnings.append(match.warning)
        if match.term_id not in recommending:
            recommending.append(match.term_id)
    return text, wordings, recommending


def _resolve(
    draft: RecordDraft,
    *,
    terms: ImportTerms,
    documents: ImportDocuments,
    default_state: str | None,
    state_filter_id: int | None,
) -> _Resolved | RowError | RowWarning | None:
    """The database values of a draft; a RowError; a RowWarning when a response
    (``updates_only``) finds no recommendation to update; or None when the state filter skips
    it. Doubtful values that did not stop the draft are in the result's ``warnings``."""
    line = draft.line
    warnings = list(draft.warnings)
    state_name = draft.state or default_state
    current_state_id = None
    if draft.updates_only:
        current_state_id = (
            Recommendation.objects.filter(source_key=draft.source_key)
            .values_list("state_id", flat=True)
            .first()
        )
        if current_state_id is None:
            return RowWarning(
                line,
                _(
                    "recommendation %(number)s is not imported yet, so its position was not "
                    "set: import the report first"
                )
                % {"number": draft.number or draft.source_key},
            )
    if not state_name and current_state_id is None:
        return RowError(line, _("no State under review (give one with the state option)"))
    state = terms.find_state(state_name) if state_name else None
    state_id = state.term_id if state else current_state_id
    if state and state.warning:
        warnings.append(state.warning)
    if state_filter_id is not None and state_id != state_filter_id:
        return None
    if state_id is None:
        return RowError(line, _("unknown State under review “%(name)s”") % {"name": state_name})
    if not draft.mechanism:
        return RowError(line, _("no mechanism or body"))
    mechanism_id = terms.find(Scheme.MECHANISM, draft.mechanism)
    if mechanism_id is None:
        return RowError(line, _("unknown mechanism or body “%(name)s”") % {"name": draft.mechanism})
    if len(draft.source_key) > 300 or len(draft.number) > 30:
        return RowError(line, _("the number or identifier is too long"))
    text, wordings, recommending = _recommending(draft, terms, warnings)
    # A label that no vocabulary knows is a doubtful value, not an unreadable row.
    action_category_id = None
    if draft.action_category:
        try:
            action_category_id = terms.get(Scheme.ACTION_CATEGORY, draft.action_category)
        except UnknownTerm as error:
            warnings.append(_("%(error)s left out") % {"error": error})
    tags: list[int] = []
    for scheme, value in draft.tags:
        try:
            term_id = terms.get(scheme, value)
        except UnknownTerm as error:
            warnings.append(_("%(error)s left out") % {"error": error})
            continue
        if term_id not in tags:
            tags.append(term_id)
    if draft.position not in POSITIONS:
        return RowError(line, _("unknown position “%(value)s”") % {"value": draft.position})
    document_id = (
        documents.get(draft, state_id=state_id, mechanism_id=mechanism_id)
        if draft.document_symbol
        else None
    )
    values = {
        "state_id": state_id,
        "mechanism_id": mechanism_id,
        "document_id": document_id,
        "number": draft.number,
        "annotation_type": draft.annotation_type[:200],
        "date": draft.date,
        "cycle": draft.cycle,
        "session": draft.session,
        "text": text,
        "wordings": wordings,
        "position": draft.position,
        "position_source": draft.position_source[:200],
        "action_category_id": action_category_id,
    }
    return _Resolved(
        draft.source_key, line, values, recommending, tags, warnings, draft.document_kind
    )


def _merged(current: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values to store: the source's, except that it never blanks out what is known and a
    pending position ("will be examined") never overrides the State's later response."""
    return merged_values(current, values)


# What a recommendation's candidate is made of (with its recommending States and sources).
_CANDIDATE_COLUMNS = (
    "id",
    "state_id",
    "mechanism_id",
    "session",
    "document_id",
    "number",
    "text",
    "wordings",
)
# A source's own columns besides the standing fields.
_SOURCE_EXTRA = ("recommending_states", "tags")


@dataclass(slots=True)
class _Numbered:
    """A numbered record of this chunk that no recommendation held has the number of."""

    record: _Resolved
    # Recommendations held that turned out to be it (reverse matching): the first one takes
    # the record, the others are merged into it.
    joined: list[int]


class _Writer:
    """Writes resolved records in chunks with bulk statements and counts what happened.

    Each record is a source record. One met before (same key) is updated; a new one is matched
    (dedup.py) to a recommendation held and joins it, or becomes a recommendation of its own,
    with doubtful matches queued for review. The standing values of every recommendation whose
    sources changed are worked out again (sources.py).
    """

    def __init__(
        self,
        batch: ImportBatch,
        *,
        terms: ImportTerms | None = None,
        source_kind: str = "",
        ledger: Ledger | None = None,
    ) -> None:
        self.batch = batch
        # Where an import applying in steps notes what it changes (ledger.py); None in one
        # transaction (a dry run, match_held).
        self.ledger = ledger
        self.terms = terms or ImportTerms()
        self.source_kind = source_kind
        self.created = self.updated = self.unchanged = self.matched = self.queued = 0
        self.through = Recommendation.recommending_states.through
        self.now = timezone.now()
        self._wording_states: dict[str, frozenset[int]] = {}
        # The scopes matching has read, kept for the whole import (``_held_scopes``); the
        # recommendations changed since they were last brought up to date; and the data
        # version the last step left (``held_valid``).
        self.held = HeldScopes()
        self._touched: set[int] = set()
        self._held_version: tuple[int, int] | None = None

    def _kind(self, record: _Resolved) -> str:
        return self.source_kind or kind_of_document(record.document_kind)

    def _insert_rows(
        self, model: type[Model], columns: list[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many rows at once: COPY on PostgreSQL, multi-row INSERTs elsewhere.

        One INSERT per row (executemany) would run the SQLite full-text trigger's flush once
        per row, ten times slower; on PostgreSQL, long multi-row INSERTs cost more to prepare
        on the client than COPY costs altogether.
        """
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        # Table and column names come from the models; values always travel as parameters.
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                # Past Django's cursor: the watch on writes does not see it.
                wrote(model._meta.db_table, using=connection.alias)
                return
            per_statement = max(1, min(ROWS_PER_STATEMENT, _max_query_params() // len(columns)))
            row_placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
            head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                cursor.execute(
                    head + ", ".join([row_placeholder] * len(part)),
                    [value for row in part for value in row],
                )

    def _insert_states(self, pairs: list[tuple[int, int]]) -> None:
        self._insert_rows(self.through, ["recommendation_id", "term_id"], pairs)

    def _insert_tags(self, pairs: list[tuple[int, int]]) -> None:
        created_at = connection.ops.adapt_datetimefield_value(self.now)
        source, status = TagSource.IMPORTED.value, TagStatus.ACCEPTED.value
        self._insert_rows(
            RecommendationTag,
            ["recommendation_id", "term_id", "source", "status", "created_at"],
            [
                (recommendation_id, term_id, source, status, created_at)
                for recommendation_id, term_id in pairs
            ],
        )

    # --- the chunk ---------------------------------------------------------------------------

    def prepare(self, records: list[_Resolved]) -> None:
        """Before the transaction of the step writing these records (without SQLite's write
        lock): read the scopes their matching compares them with, and their words.

        What is read here is only kept if no one else writes before the step begins: the data
        version read first is the one ``held_valid`` compares in the step (whoever writes after
        it raises it), else the step lets it go and reads again."""
        with fewer_collections():
            version = self._data_version(lock=False)
            if version is None or version != self._held_version:
                self.held.clear()
                self._touched.clear()
            self._held_version = version
            scopes = {scope for record in records if (scope := self._scope(record.values))}
            fresh = [scope for scope in scopes if scope not in self.held]
            held = self._held_scopes(scopes)
            # dedup.words keeps the words of the unnumbered records and of the candidates just
            # read that they are compared with (``_likely``, CandidateIndex): the step need not
            # work them out holding the lock. A numbered record is matched by its number.
            unnumbered = [record for record in records if not record.values["number"]]
            compared = {self._scope(record.values) for record in unnumbered}
            for scope in fresh:
                if scope in compared:
                    for candidate in held.of(scope):
                        words(candidate.text)
            for record in unnumbered:
                words(record.values["text"])

    def write(self, records: list[_Resolved]) -> None:
        """Write these records; inside the transaction of one step."""
        with fewer_collections():
            self.held_valid()
            self._write(records)
            self.held_written()

    def _write(self, records: list[_Resolved]) -> None:
        known = self._known_sources([record.key for record in records])
        self._update([record for record in records if record.key in known], known)
        new = [record for record in records if record.key not in known]
        # Numbered records first, so that the unnumbered ones of the same chunk can join them.
        self._write_numbered([record for record in new if record.values["number"]])
        self._write_unnumbered([record for record in new if not record.values["number"]])

    def _known_sources(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """{key: source as a dict} of the keys held; a recommendation written without source
        records (before they existed, or by hand) gets one made of its own values first."""
        found = self._sources_by_key(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            # Every new record's key is looked up here: plain SQL (core.rows), as the ORM took
            # longer to build these statements than the database to run them (3 of 79 s of a
            # profile importing 250,000 records into an empty database).
            legacy = sorted(
                row["id"]
                for row in rows_in(Recommendation, ["id"], key="source_key", values=missing)
            )
            if legacy and self._ensure_sources(legacy):
                found.update(self._sources_by_key(missing))
        return found

    def _ensure_sources(self, recommendation_ids: list[int]) -> int:
        """sources.ensure_sources, the source records it makes noted in the ledger."""
        # Their sources' families decide what they may be matched with.
        self._touch(recommendation_ids)
        if self.ledger is None:
            return ensure_sources(recommendation_ids)
        had = set(self._source_ids(recommendation_ids))
        made = ensure_sources(recommendation_ids)
        if made:
            self.ledger.created(
                SourceRecord,
                [pk for pk in self._source_ids(recommendation_ids) if pk not in had],
            )
        return made

    def _source_ids(self, recommendation_ids: list[int]) -> list[int]:
        return [
            pk
            for some in _slices(recommendation_ids)
            for pk in SourceRecord.objects.filter(recommendation_id__in=some)
            .order_by()
            .values_list("pk", flat=True)
        ]

    def _sources_by_key(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        names = ["id", "recommendation_id", "source_key", "import_batch_id", "updated_at"]
        return {
            row["source_key"]: row
            for row in rows_in(
                SourceRecord,
                [*names, *IMPORTED_FIELDS, *_SOURCE_EXTRA],
                key="source_key",
                values=keys,
            )
        }

    def _update(self, records: list[_Resolved], known: dict[str, dict[str, Any]]) -> None:
        """Records met before: their source records take what the file says now."""
        changed: list[tuple[int, dict[str, Any]]] = []
        before_rows: list[dict[str, Any]] = []
        touched: list[int] = []
        for record in records:
            current = known[record.key]
            before = {name: current[name] for name in IMPORTED_FIELDS}
            after = _merged(before, record.values)
            recommending = record.recommending or current["recommending_states"]
            tags = list(dict.fromkeys([*current["tags"], *record.tags]))
            if (
                after == before
                and recommending == current["recommending_states"]
                and tags == current["tags"]
            ):
                self.unchanged += 1
                continue
            self.updated += 1
            values = {name: value for name, value in after.items() if before[name] != value}
            if recommending != current["recommending_states"]:
                values["recommending_states"] = recommending
            if tags != current["tags"]:
                values["tags"] = tags
            values["import_batch"] = self.batch.pk
            changed.append((current["id"], values))
            before_rows.append(
                {
                    **{name: current[name] for name in values if name != "import_batch"},
                    "id": current["id"],
                    "import_batch_id": current["import_batch_id"],
                    "updated_at": current["updated_at"],
                }
            )
            touched.append(current["recommendation_id"])
        if changed:
            if self.ledger is not None:
                self.ledger.updated(SourceRecord, before_rows)
            update_rows(SourceRecord, changed, self.now)
            self._restate(touched)

    def _restate(self, recommendation_ids: list[int]) -> None:
        """Work the standing values out again, and mark the recommendations as touched by this
        import."""
        if self.ledger is not None:
            self.ledger.restating(recommendation_ids)
        self._touch(recommendation_ids)
        recompute(recommendation_ids)
        for some in _slices(list(dict.fromkeys(recommendation_ids))):
            Recommendation.objects.filter(pk__in=some).update(
                import_batch_id=self.batch.pk, updated_at=self.now
            )

    # --- matching ----------------------------------------------------------------------------

    def _scope(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        if values["session"]:
            return (values["state_id"], values["mechanism_id"], "session", values["session"])
        if values["document_id"]:
            return (values["state_id"], values["mechanism_id"], "document", values["document_id"])
        return None

    def _states_named(self, names: Sequence[str]) -> frozenset[int]:
        key = "\x1f".join(names)
        if key not in self._wording_states:
            found = (self.terms.find(Scheme.STATE, name) for name in names)
            self._wording_states[key] = frozenset(pk for pk in found if pk is not None)
        return self._wording_states[key]

    def _candidates(
        self,
        scopes: set[tuple[Any, ...]],
        *,
        numbers: Mapping[tuple[Any, ...], set[str]] | None = None,
        states: Mapping[tuple[Any, ...], set[int]] | None = None,
        eligible_for: str | None = None,
    ) -> dict[tuple[Any, ...], list[Candidate]]:
        """The recommendations held in these scopes, as candidates, by scope (those with none
        left out); with ``numbers`` ({scope: numbers}), only those that have one of the scope's
        numbers or none (what numbered records may match); with ``states`` ({scope: State
        ids}), only those that one of its States made; with ``eligible_for`` (a family of
        sources), only those an unnumbered source of that family may be compared with
        (dedup.may_meet: numbered, or without a source of the family).

        Taken from the scopes this import keeps (``_held_scopes``): a scope is read once per
        import, not once per step, and what a step needs of it is picked in memory."""
        held = self._held_scopes(scopes)
        by_scope: dict[tuple[Any, ...], list[Candidate]] = {}
        for scope in scopes:
            wanted_numbers = numbers.get(scope, set()) if numbers is not None else set()
            wanted_states = states.get(scope, set()) if states is not None else set()
            found = [
                candidate
                for candidate in (
                    held.of(scope) if numbers is None else held.with_numbers(scope, wanted_numbers)
                )
                if (states is None or not candidate.states.isdisjoint(wanted_states))
                and (eligible_for is None or may_meet(candidate, eligible_for))
            ]
            if found:
                by_scope[scope] = found
        return by_scope

    def _held_scopes(self, scopes: set[tuple[Any, ...]]) -> HeldScopes:
        """The import's kept scopes (dedup.HeldScopes), with these scopes among them and up to
        date with what this import wrote so far."""
        self._refresh_held()
        missing = {scope for scope in scopes if scope not in self.held}
        if missing:
            scoped = self._scoped_rows(missing)
            complete = self._complete([row for _scope, row in scoped])
            read: dict[tuple[Any, ...], list[Candidate]] = {scope: [] for scope in missing}
            for scope, row in scoped:
                read[scope].append(complete[row["id"]])
            for scope, candidates in read.items():
                self.held.add(scope, candidates)
            self.held.shrink(keep=scopes)
        return self.held

    def _touch(self, recommendation_ids: Iterable[int]) -> None:
        """These recommendations are changing (created, joined, restated, merged): the kept
        scopes take them again from the database before their next look-up."""
        self._touched.update(recommendation_ids)

    def _refresh_held(self) -> None:
        if not self._touched:
            return
        ids = sorted(self._touched)
        self._touched.clear()
        rows = self._rows_by_id(ids)
        complete = self._complete([row for _scope, row in rows])
        self.held.replace(
            ids,
            [(scope, complete[row["id"]]) for scope, row in rows if scope is not None],
        )

    def held_valid(self) -> None:
        """At the start of a step (in its transaction): the scopes kept are still what the
        database holds unless someone else wrote since the last step; then they are let go.

        Another writer's change to a recommendation, its recommending States or a term raises
        the data version (triggers, counts.py); a source record added elsewhere moves the last
        source id. The step's transaction holds SQLite's write lock from its start, and on
        PostgreSQL the version's row is locked here until the step commits (every writer of
        recommendations updates it), so no one else writes between this read and the step's
        end, when ``held_written`` notes the version the step leaves."""
        version = self._data_version(lock=True)
        if version is None or version != self._held_version:
            self.held.clear()
            self._touched.clear()
        # Unknown until the step ends: a step that fails half way leaves nothing trusted.
        self._held_version = None

    def held_written(self) -> None:
        """At the end of a step (in its transaction): the scopes kept take what it wrote, and
        the version it leaves is noted (see ``held_valid``)."""
        self._refresh_held()
        self._held_version = self._data_version(lock=False)

    def _data_version(self, *, lock: bool) -> tuple[int, int] | None:
        ops = connection.ops
        versions = ops.quote_name(DataVersion._meta.db_table)
        sources = ops.quote_name(SourceRecord._meta.db_table)
        for_update = " FOR UPDATE" if lock and connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT version FROM {versions} WHERE id = %s{for_update}",  # noqa: S608
                [VERSION_ROW],
            )
            version = cursor.fetchone()
            cursor.execute(f"SELECT MAX(id) FROM {sources}")  # noqa: S608
            (last_source,) = cursor.fetchone()
        if version is None:
            return None  # no version row (before the migration made it): nothing is kept
        return (version[0], last_source or 0)

    def _scoped_rows(
        self, scopes: set[tuple[Any, ...]]
    ) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """[(scope, row)] of every recommendation of these scopes.

        Plain SQL, each scope named exactly (a State's session through the (state, session)
        index, a document through its own), so that the cost follows the recommendations read,
        not the size of the table; the ORM took longer to build these statements than the
        database to run them."""
        if not scopes:
            return []
        rows = self._candidate_rows(scopes)
        return [(scope, row) for row in rows if (scope := self._scope(row)) in scopes]

    def _rows_by_id(
        self, ids: Sequence[int]
    ) -> list[tuple[tuple[Any, ...] | None, dict[str, Any]]]:
        """[(scope, row)] of these recommendations (those deleted absent)."""
        table = connection.ops.quote_name(Recommendation._meta.db_table)
        columns = self._candidate_columns()
        selects = []
        params: list[Any] = []
        for some in _slices(ids, 500):
            marks = ", ".join(["%s"] * len(some))
            selects.append(
                f"SELECT {columns} FROM {table} r WHERE r.id IN ({marks})"  # noqa: S608
            )
            params += some
        return [(self._scope(row), row) for row in self._fetch_rows(selects, params)]

    def _made_by(self, ids: Sequence[int]) -> dict[int, set[int]]:
        """{recommendation id: its recommending States}."""
        states_of: dict[int, set[int]] = {}
        through = connection.ops.quote_name(self.through._meta.db_table)
        with connection.cursor() as cursor:
            for some in _slices(ids, 500):
                marks = ", ".join(["%s"] * len(some))
                cursor.execute(
                    f"SELECT recommendation_id, term_id FROM {through} "  # noqa: S608
                    f"WHERE recommendation_id IN ({marks})",
                    list(some),
                )
                for pk, term_id in cursor.fetchall():
                    states_of.setdefault(pk, set()).add(term_id)
        return states_of

    def _families(self, ids: Sequence[int]) -> dict[int, set[str]]:
        """{recommendation id: the families of its sources}."""
        families: dict[int, set[str]] = {}
        sources = connection.ops.quote_name(SourceRecord._meta.db_table)
        with connection.cursor() as cursor:
            for some in _slices(ids, 500):
                marks = ", ".join(["%s"] * len(some))
                cursor.execute(
                    f"SELECT recommendation_id, source_key FROM {sources} "  # noqa: S608
                    f"WHERE recommendation_id IN ({marks})",
                    list(some),
                )
                for pk, key in cursor.fetchall():
                    families.setdefault(pk, set()).add(key.partition(":")[0])  # dedup.family
        return families

    def _candidate(
        self, row: Mapping[str, Any], states: set[int] | None, families: set[str] | None
    ) -> Candidate:
        raw = row["wordings"]
        return Candidate(
            id=row["id"],
            number=row["number"],
            text=row["text"],
            wordings=[
                (wording.get("text", ""), self._states_named(wording.get("states", [])))
                for wording in _json_list(raw)
                if isinstance(wording, dict)
            ]
            if raw
            else [],
            states=frozenset(states or ()),
            families=families or set(),
            document_id=row["document_id"],
        )

    def _complete(self, rows: Sequence[Mapping[str, Any]]) -> dict[int, Candidate]:
        """{id: candidate} of these rows, with their recommending States and source families."""
        ids = list(dict.fromkeys(row["id"] for row in rows))
        states_of = self._made_by(ids)
        families = self._families(ids)
        return {
            row["id"]: self._candidate(row, states_of.get(row["id"]), families.get(row["id"]))
            for row in rows
        }

    def _likely(
        self,
        records: Sequence[_Resolved],
        held: Mapping[tuple[Any, ...], list[Candidate]],
    ) -> dict[int, list[Candidate]]:
        """{id(record): what ``CandidateIndex.likely`` finds for the record (the candidates
        that name one of its States, then those using one of its rarest words) among the
        candidates ``held`` of its scope}.

        Worked out on the scope's candidates as they are, without indexing every word of a
        scope (a UPR session holds hundreds) for the few records of a step."""
        wanted = {state for record in records for state in record.recommending}
        records_of: dict[tuple[Any, ...] | None, list[_Resolved]] = {}
        for record in records:
            records_of.setdefault(self._scope(record.values), []).append(record)
        kept: dict[int, list[Candidate]] = {}
        for place, of_scope in records_of.items():
            candidates = held.get(place, []) if place else []
            # {State: the candidates naming it}, for the records' States (CandidateIndex.by_state).
            by_state: dict[int, list[int]] = {}
            for at, candidate in enumerate(candidates):
                for state in named_states(candidate) & wanted:
                    by_state.setdefault(state, []).append(at)
            text_words = {record.key: words(record.values["text"]) for record in of_scope}
            by_word = sharing(
                ((at, candidate.text) for at, candidate in enumerate(candidates)),
                frozenset().union(*text_words.values()),
            )
            for record in of_scope:
                found = {
                    at: candidates[at]
                    for state in record.recommending
                    for at in by_state.get(state, ())
                }
                for at in rarest(text_words[record.key], by_word):
                    found[at] = candidates[at]
                kept[id(record)] = list(found.values())
        return kept

    def _candidate_rows(self, scopes: set[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """The rows of every recommendation of these scopes' States and sessions or documents
        (``_scoped_rows`` keeps those of the scopes)."""
        table = connection.ops.quote_name(Recommendation._meta.db_table)
        columns = self._candidate_columns()
        selects: list[str] = []
        params: list[Any] = []
        # Table and column names come from the models; values travel as parameters.
        sessions = sorted({(scope[0], scope[3]) for scope in scopes if scope[2] == "session"})
        for some in _slices(sessions, 400):
            values = ", ".join(["(%s, %s)"] * len(some))
            selects.append(
                f"WITH wanted (state_id, session) AS (VALUES {values}) "  # noqa: S608
                f"SELECT {columns} FROM wanted w JOIN {table} r "
                f"ON r.state_id = w.state_id AND r.session = w.session"
            )
            params += [value for pair in some for value in pair]
        documents = sorted({scope[3] for scope in scopes if scope[2] == "document"})
        for some in _slices(documents, 400):
            marks = ", ".join(["%s"] * len(some))
            # Through the document's index: "+" keeps the session's out of it. Without the
            # planner's statistics (a first import into an empty database) SQLite took the
            # session's for "IS NULL" and read every recommendation without a session in every
            # step: 20 of 156 s of 250,000 records imported into an empty database.
            selects.append(
                f"SELECT {columns} FROM {table} r "  # noqa: S608
                f"WHERE r.document_id IN ({marks}) AND +r.session IS NULL"
            )
            params += list(some)
        return self._fetch_rows(selects, params)

    @staticmethod
    def _candidate_columns() -> str:
        return ", ".join(f"r.{connection.ops.quote_name(name)}" for name in _CANDIDATE_COLUMNS)

    @staticmethod
    def _fetch_rows(selects: Sequence[str], params: Sequence[Any]) -> list[dict[str, Any]]:
        """The rows of these statements (their parameters one after the other), as dicts."""
        rows: list[dict[str, Any]] = []
        with connection.cursor() as cursor:
            start = 0
            for sql in selects:
                count = sql.count("%s")
                cursor.execute(sql, params[start : start + count])
                start += count
                rows += [
                    dict(zip(_CANDIDATE_COLUMNS, row, strict=True)) for row in cursor.fetchall()
                ]
        return rows

    def _as_candidate(self, record: _Resolved, pk: int | None = None) -> Candidate:
        """The candidate a record is: not written yet (``pk`` None), or the recommendation
        ``pk`` just created of it alone (its values, States and one source are the record's)."""
        return Candidate(
            id=pk,
            number=record.values["number"],
            text=record.values["text"],
            wordings=[
                (wording.get("text", ""), self._states_named(wording.get("states", [])))
                for wording in record.values["wordings"] or []
                if isinstance(wording, dict)
            ],
            states=frozenset(record.recommending),
            document_id=record.values["document_id"],
            families={family(record.key)},
            record=record if pk is None else None,
        )

    def _write_numbered(self, records: list[_Resolved]) -> None:
        if not records:
            return
        scopes = {scope for record in records if (scope := self._scope(record.values))}
        numbers: dict[tuple[Any, ...], set[str]] = {}
        for record in records:
            if scope := self._scope(record.values):
                numbers.setdefault(scope, set()).add(record.values["number"])
        held = self._candidates(scopes, numbers=numbers)
        # Where recommendations without a number are held, the new numbered records may be one
        # of them (reverse order, below): compared with every numbered one of the scope.
        with_unnumbered = {
            scope
            for scope, candidates in held.items()
            if any(not candidate.number for candidate in candidates)
        }
        held.update(self._candidates(with_unnumbered))
        indexes = {scope: CandidateIndex(candidates) for scope, candidates in held.items()}
        joins: list[tuple[_Resolved, int]] = []
        numbered: list[_Numbered] = []
        for record in records:
            scope = self._scope(record.values)
            index = indexes.get(scope) if scope else None
            same = [
                candidate.id
                for candidate in (index.numbered(record.values["number"]) if index else [])
                if same_number(
                    candidate,
                    number=record.values["number"],
                    document_id=record.values["document_id"],
                    source_family=family(record.key),
                )
            ]
            if same and same[0] is not None:
                joins.append((record, same[0]))
            else:
                numbered.append(_Numbered(record, []))
        # Reverse order: recommendations held without a number (UPR Info rows imported before
        # the report) that are one of the new numbered records.
        queue: list[tuple[int, _Numbered, float]] = []
        by_scope: dict[tuple[Any, ...], list[_Numbered]] = {}
        for item in numbered:
            if (scope := self._scope(item.record.values)) is not None:
                by_scope.setdefault(scope, []).append(item)
        for scope, items in by_scope.items():
            new_candidates = [self._as_candidate(item.record) for item in items]
            for candidate, item in zip(new_candidates, items, strict=True):
                candidate.record = item
            unnumbered_held = [
                candidate
                for candidate in held.get(scope, [])
                if not candidate.number and candidate.id is not None
            ]
            if not unnumbered_held:
                continue
            numbered_index = CandidateIndex(
                [*new_candidates, *(item for item in held.get(scope, []) if item.number)]
            )
            for unnumbered in unnumbered_held:
                assert unnumbered.id is not None
                source_families = unnumbered.families or {""}
                decision = decide(
                    unnumbered.text,
                    sorted(unnumbered.states),
                    sorted(source_families)[0],
                    numbered_index.likely(unnumbered.text, unnumbered.states),
                )
                if decision.join is not None and decision.join.id is None:
                    target = decision.join.record
                    assert isinstance(target, _Numbered)
                    target.joined.append(unnumbered.id)
                for scored in decision.doubtful:
                    if scored.candidate.id is None:
                        target = scored.candidate.record
                        assert isinstance(target, _Numbered)
                        queue.append((unnumbered.id, target, scored.score))
        for item in numbered:
            if item.joined:
                joins.append((item.record, item.joined[0]))
        self._join(joins)
        self._create([item.record for item in numbered if not item.joined])
        for item in numbered:
            for merged in item.joined[1:]:
                self._merge(item.joined[0], merged)
        self._queue_reverse(queue)

    def _write_unnumbered(self, records: list[_Resolved]) -> None:
        if not records:
            return
        joins: list[tuple[_Resolved, int]] = []
        creates: list[_Resolved] = []
        doubtful: list[tuple[_Resolved, list[tuple[int, float]]]] = []
        # First against the recommendations that the records' own States made: a record that
        # one of them wins by its State's wording joins it whatever the others of the scope say
        # (dedup.decide), so only the rest of the records need every recommendation of their
        # scopes (a UPR session holds hundreds). Recommendations a record may not be (another
        # row of the same database export) are never read: two UPR Info files of one session
        # would otherwise cost the square of its size.
        rest = self._join_by_state(records, joins)
        # The others against every recommendation of their scope that they may be (numbered,
        # or without a source of their family: dedup.eligible).
        likely: dict[int, list[Candidate]] = {}
        for source_family in {family(record.key) for record in rest}:
            of_family = [record for record in rest if family(record.key) == source_family]
            scopes = {scope for record in of_family if (scope := self._scope(record.values))}
            held = self._candidates(scopes, eligible_for=source_family)
            likely.update(self._likely(of_family, held))
        for record in rest:
            decision = decide(
                record.values["text"],
                record.recommending,
                family(record.key),
                likely.get(id(record), []),
            )
            if decision.join is not None and decision.join.id is not None:
                joins.append((record, decision.join.id))
                continue
            creates.append(record)
            queued = [
                (scored.candidate.id, scored.score)
                for scored in decision.doubtful
                if scored.candidate.id is not None
            ]
            if queued:
                doubtful.append((record, queued))
        self._join(joins)
        self._create(creates)
        if doubtful:
            sources = self._sources_by_key([record.key for record, _queued in doubtful])
            self._insert_candidates(
                [
                    (sources[record.key]["id"], candidate_id, value)
                    for record, queued in doubtful
                    for candidate_id, value in queued
                ]
            )

    def _join_by_state(
        self, records: list[_Resolved], joins: list[tuple[_Resolved, int]]
    ) -> list[_Resolved]:
        """Add to ``joins`` the records that a recommendation made by their own State takes
        (``Decision.by_state``); returns the others."""
        indexes: dict[tuple[str, tuple[Any, ...]], CandidateIndex] = {}
        for source_family in {family(record.key) for record in records}:
            states: dict[tuple[Any, ...], set[int]] = {}
            for record in records:
                if (
                    record.recommending
                    and family(record.key) == source_family
                    and (scope := self._scope(record.values))
                ):
                    states.setdefault(scope, set()).update(record.recommending)
            # Only those the records may be compared with: two UPR Info rows are never one
            # recommendation (dedup.eligible), however many of a session's are held.
            held = self._candidates(set(states), states=states, eligible_for=source_family)
            for scope, candidates in held.items():
                indexes[(source_family, scope)] = CandidateIndex(candidates)
        rest = []
        for record in records:
            scope = self._scope(record.values)
            index = indexes.get((family(record.key), scope)) if scope else None
            if index is not None:
                decision = decide(
                    record.values["text"],
                    record.recommending,
                    family(record.key),
                    index.named_by(record.recommending),
                )
                if decision.by_state and decision.join is not None and decision.join.id:
                    joins.append((record, decision.join.id))
                    continue
            rest.append(record)
        return rest

    def _queue_reverse(self, queue: list[tuple[int, _Numbered, float]]) -> None:
        """Queue recommendations held that may be one of the new numbered records: the held
        one's first source against the recommendation the numbered record now is."""
        if not queue:
            return
        new_ids = self._sources_by_key([item.record.key for _held, item, _score in queue])
        first_sources: dict[int, int] = {}
        for pk, source_id in (
            SourceRecord.objects.filter(
                recommendation_id__in={held for held, _item, _score in queue}
            )
            .order_by("-pk")
            .values_list("recommendation_id", "pk")
        ):
            first_sources[pk] = source_id
        self._insert_candidates(
            [
                (first_sources[held], new_ids[item.record.key]["recommendation_id"], value)
                for held, item, value in queue
                if held in first_sources and item.record.key in new_ids
            ]
        )

    def _insert_candidates(self, rows: list[tuple[int, int, float]]) -> None:
        if not rows:
            return
        unique = {(source, candidate): value for source, candidate, value in rows}
        held: set[int] = set()
        if self.ledger is not None:
            held = set(self._queue_entry_ids({source for source, _candidate in unique}))
        MatchCandidate.objects.bulk_create(
            [
                MatchCandidate(source_id=source, candidate_id=candidate, score=round(value, 3))
                for (source, candidate), value in unique.items()
            ],
            ignore_conflicts=True,
        )
        if self.ledger is not None:
            made = self._queue_entry_ids({source for source, _candidate in unique})
            self.ledger.created(MatchCandidate, [pk for pk in made if pk not in held])
        self.queued += len(unique)

    def _queue_entry_ids(self, source_ids: set[int]) -> list[int]:
        rows = rows_in(MatchCandidate, ["id"], key="source_id", values=sorted(source_ids))
        return [row["id"] for row in rows]

    def _merge(self, target_id: int, merged_id: int) -> None:
        target = Recommendation.objects.filter(pk=target_id).first()
        merged = Recommendation.objects.filter(pk=merged_id).first()
        if target is None or merged is None:
            return
        self._touch([target_id, merged_id])
        if self.ledger is None:
            merge_into(target=target, merged=merged, actor=self.batch.user, automatic=True)
            return
        # What the merge changes besides what it records itself: the target's values, and the
        # sources it may give recommendations that had none; the merged one's values too, as
        # undoing the merge brings it back with new times.
        self.ledger.restating([target_id, merged_id])
        self._ensure_sources([target_id, merged_id])
        self.ledger.merged(
            merge_into(target=target, merged=merged, actor=self.batch.user, automatic=True)
        )

    # --- writing -----------------------------------------------------------------------------

    def _source_rows(self, pairs: list[tuple[_Resolved, int]]) -> None:
        """Insert the source records of these records, each on its recommendation."""
        ops = connection.ops
        now = ops.adapt_datetimefield_value(self.now)
        columns = ["source_key", "recommendation_id", "kind", *IMPORTED_FIELDS]
        columns += [*_SOURCE_EXTRA, "import_batch_id", "created_at", "updated_at"]
        values_of = operator.itemgetter(*IMPORTED_FIELDS)
        date_at = 3 + IMPORTED_FIELDS.index("date")
        wordings_at = 3 + IMPORTED_FIELDS.index("wordings")
        rows: list[list[Any]] = []
        for record, recommendation_id in pairs:
            row = [record.key, recommendation_id, self._kind(record), *values_of(record.values)]
            row[date_at] = ops.adapt_datefield_value(row[date_at])
            row[wordings_at] = ops.adapt_json_value(row[wordings_at] or [], None)
            row += [
                ops.adapt_json_value(record.recommending, None),
                ops.adapt_json_value(record.tags, None),
                self.batch.pk,
                now,
                now,
            ]
            rows.append(row)
        self._insert_rows(SourceRecord, columns, rows)

    def _join(self, pairs: list[tuple[_Resolved, int]]) -> None:
        """New sources of recommendations held."""
        if not pairs:
            return
        self._source_rows(pairs)
        if self.ledger is not None:
            made = self._sources_by_key([record.key for record, _recommendation_id in pairs])
            self.ledger.created(SourceRecord, [row["id"] for row in made.values()])
        self.matched += len(pairs)
        self._restate([recommendation_id for _record, recommendation_id in pairs])

    def _insert_recommendations(self, records: list[_Resolved]) -> dict[str, int]:
        """Plain multi-row inserts: the ORM's bulk_create costs more than the database here.

        The ids are read back by key, which works the same on every database.
        """
        ops = connection.ops
        no_wordings = ops.adapt_json_value([], None)
        now = ops.adapt_datetimefield_value(self.now)
        columns = ["source_key", *(name for name in IMPORTED_FIELDS)]
        columns += ["is_published", "sources_disagree", "import_batch_id", "created_at"]
        columns += ["updated_at"]
        values_of = operator.itemgetter(*IMPORTED_FIELDS)
        date_at = IMPORTED_FIELDS.index("date")
        wordings_at = IMPORTED_FIELDS.index("wordings")
        tail = (True, False, self.batch.pk, now, now)
        rows: list[list[Any]] = []
        for record in records:
            row = [record.key, *values_of(record.values), *tail]
            row[1 + date_at] = ops.adapt_datefield_value(row[1 + date_at])
            wordings = row[1 + wordings_at]
            row[1 + wordings_at] = ops.adapt_json_value(wordings, None) if wordings else no_wordings
            rows.append(row)
        self._insert_rows(Recommendation, columns, rows)
        keys = [record.key for record in records]
        return {
            row["source_key"]: row["id"]
            for row in rows_in(Recommendation, ["source_key", "id"], key="source_key", values=keys)
        }

    def _create(self, records: list[_Resolved]) -> None:
        """New recommendations, each with its one source."""
        if not records:
            return
        ids = self._insert_recommendations(records)
        # The kept scopes take them as written, made of the records rather than read back.
        self.held.replace(
            ids.values(),
            [
                (scope, self._as_candidate(record, ids[record.key]))
                for record in records
                if (scope := self._scope(record.values)) is not None
            ],
        )
        if self.ledger is not None:
            # Their source records, States and tags go with them.
            self.ledger.created(Recommendation, ids.values())
        self._source_rows([(record, ids[record.key]) for record in records])
        self._insert_states(
            [(ids[record.key], term_id) for record in records for term_id in record.recommending]
        )
        self._insert_tags(
            [(ids[record.key], term_id) for record in records for term_id in record.tags]
        )
        self.created += len(records)


def _format(name: str) -> ImportFormat | None:
    """The format named; None for AUTOMATIC (recognised from the file's content)."""
    if name == AUTOMATIC:
        return None
    if name not in FORMATS:
        raise ValidationError(
            {
                "format": [
                    _("Unknown format “%(name)s”; choose one of: %(names)s.")
                    % {"name": name, "names": ", ".join([AUTOMATIC, *FORMATS])}
                ]
            }
        )
    return FORMATS[name]


def recognised_format(path: str | Path) -> ImportFormat:
    """The format of a file recognised from its content (``formats.detect_format``); an
    ImportFileError saying what was seen when none recognises it."""
    try:
        return detect_format(Path(path))
    except IntakeError as error:
        raise ImportFileError.of(error) from None


def _check_permission(user: AnyUser | None) -> None:
    # user None is the system itself (a management command run by the operator).
    if user is not None and not can_manage(user):
        raise PermissionDenied(
            _("Only coordinators and administrators may import recommendations.")
        )


def store_upload(upload: UploadedFile) -> Path:
    """Save an uploaded file under MEDIA_ROOT/imports/<random>/<its name>; the path from there."""
    name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
    relative = Path("imports") / uuid.uuid4().hex / name
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        for block in upload.chunks():
            stream.write(block)
    return relative


def _discard_upload(relative: Path) -> None:
    target = Path(settings.MEDIA_ROOT) / relative
    target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        target.parent.rmdir()


def import_upload(
    *,
    user: User,
    format: str,
    upload: UploadedFile,
    state: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    options: Mapping[str, object] | None = None,
) -> ImportBatch:
    """Keep an uploaded file and record a waiting batch for it; the import runs later
    (``jobs.start_import``) or at once (``import_file(..., batch=batch)``)."""
    _check_permission(user)
    _format(format)
    try:
        check_upload_size(upload.size)
    except IntakeError as error:
        raise ImportFileError.of(error) from None
    relative = store_upload(upload)
    detected = format == AUTOMATIC
    if detected:
        try:
            format = recognised_format(Path(settings.MEDIA_ROOT) / relative).name
        except ImportFileError:
            _discard_upload(relative)
            raise
    format_options = {
        name: value for name, value in (options or {}).items() if name in FORMAT_OPTIONS and value
    }
    return ImportBatch.objects.create(
        format=format,
        file_name=relative.name[:300],
        checksum="",
        user=user,
        dry_run=dry_run,
        options={
            **format_options,
            "state": state or "",
            "skip_invalid": skip_invalid,
            "upload": str(relative),
            "recognised": detected,
        },
    )


def stored_upload_path(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.options["upload"]


def batch_finish(
    batch: ImportBatch, *, user: User | None, status: str, message: str = ""
) -> ImportBatch:
    """Record how an import batch ended, with an audit entry of its summary."""
    note = f"{batch.format}: {batch.file_name}"
    if batch.dry_run:
        note += " (dry run)"
    with audited(user, batch, SUMMARY_FIELDS, action=AuditEntry.Action.IMPORT, note=note):
        batch.status = status
        batch.message = message
        batch.finished_at = timezone.now()
        batch.save()
    return batch


@dataclass(slots=True)
class BatchOutcome:
    """What the work of an import read and wrote, for ``run_batch`` to record."""

    processed: int
    # Row errors as RowError.as_dict() gives them, at most MAX_STORED_ERRORS of them.
    errors: list[dict]
    rejected: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records that joined a recommendation held; doubtful matches queued for review.
    matched: int = 0
    queued: int = 0
    # What the format adds to the batch's message when the import succeeds.
    summary: str = ""
    # Doubtful values that did not stop a row, as RowWarning.as_dict() gives them, at most
    # MAX_STORED_ERRORS of them.
    warnings: list[dict] = field(default_factory=list)


class _Rollback(Exception):
    def __init__(self, outcome: BatchOutcome) -> None:
        super().__init__()
        self.outcome = outcome


def run_batch(
    batch: ImportBatch,
    *,
    user: User | None,
    path: Path,
    work: Callable[[ImportBatch, Path], BatchOutcome],
    count: Callable[[Path], int] | None = None,
    skip_invalid: bool = False,
    offers_skipping: bool = True,
    after: Callable[[ImportBatch], str] | None = None,
    tables: Sequence[str] | None = None,
    in_steps: bool = False,
) -> ImportBatch:
    """The life of every import batch, whatever the file holds.

    The batch runs, records the file's checksum and its record count (``count``, else what
    ``work`` processed), then ``work`` reads the file and writes inside one transaction. That
    transaction is rolled back on a dry run, and when a row could not be read unless
    ``skip_invalid``: all or nothing. Row errors are stored as ``RowError.as_dict()`` gives them.
    A file that cannot be read at all (``FileFormatError``) fails the batch and raises
    ``ImportFileError``; any other error fails it too and propagates. ``after(batch)`` runs once
    a real import has committed and returns what the message adds. A real import that created
    or updated rows refreshes the planner statistics of ``tables`` (None: of every table).

    ``in_steps``: ``work`` writes in transactions of its own and notes what it changes in the
    batch's ledger (ledger.py), so that the import never holds the database's write lock for
    long. Whatever stops it then (rows that could not be read, an error, a cancellation) undoes
    the ledger before the batch is marked failed, and the batch's result is recorded in the
    transaction that deletes its ledger: still all or nothing. A dry run stays one transaction,
    rolled back.
    """
    # Its chunks commit one by one: the list is counted once, after the last (count_ahead.py).
    with counted_once():
        return _run_batch(
            batch,
            user=user,
            path=path,
            work=work,
            count=count,
            skip_invalid=skip_invalid,
            offers_skipping=offers_skipping,
            after=after,
            tables=tables,
            in_steps=in_steps,
        )


def _run_batch(
    batch: ImportBatch,
    *,
    user: User | None,
    path: Path,
    work: Callable[[ImportBatch, Path], BatchOutcome],
    count: Callable[[Path], int] | None,
    skip_invalid: bool,
    offers_skipping: bool,
    after: Callable[[ImportBatch], str] | None,
    tables: Sequence[str] | None,
    in_steps: bool,
) -> ImportBatch:
    batch.status = ImportBatch.Status.RUNNING
    batch.checksum = ""
    batch.save()
    try:
        batch.checksum = file_checksum(path)
        if count is not None:
            batch.total = count(path)
        batch.save(update_fields=["checksum", "total"])
        try:
            if in_steps and not batch.dry_run:
                # Which process writes it: should it die with no job to notice (a foreground
                # `rightstrack import` killed), recovery.py finds the process gone.
                batch.options = {**batch.options, "process": this_process()}
                batch.save(update_fields=["options"])
                _work_in_steps(
                    batch,
                    user=user,
                    path=path,
                    work=work,
                    skip_invalid=skip_invalid,
                    counted=count is not None,
                )
            else:
                with transaction.atomic():
                    outcome = work(batch, path)
                    _check_outcome(batch, outcome, skip_invalid=skip_invalid)
                    # The batch says what was written in the transaction that writes it: a
                    # worker killed right after the commit leaves no "running" batch over rows
                    # written.
                    _record_counts(batch, outcome, counted=count is not None)
                    batch_finish(
                        batch,
                        user=user,
                        status=ImportBatch.Status.SUCCEEDED,
                        message=_success_message(batch, outcome),
                    )
        except _Rollback as rollback:
            outcome = rollback.outcome
    except IntakeError as error:
        # FileFormatError, or a refusal of core.intake (a limit, an encoding).
        batch.created = batch.updated = batch.unchanged = batch.matched = 0
        batch_finish(batch, user=user, status=ImportBatch.Status.FAILED, message=str(error))
        raise ImportFileError.of(error, batch=batch) from None
    except Exception as error:
        # Whatever broke, the batch must not stay "running" for ever. A job stopped from
        # outside (cancelled, over its memory) says so; anything else is a bug, logged above.
        batch.created = batch.updated = batch.unchanged = batch.matched = 0
        batch_finish(
            batch,
            user=user,
            status=ImportBatch.Status.FAILED,
            message=interruption_message(error)
            or _("The import stopped on an unexpected error; nothing was written."),
        )
        raise

    if batch.status == ImportBatch.Status.SUCCEEDED:
        # Committed: what the apps built on the recommendations do with them (tag suggestions).
        extra = after(batch) if after else ""
        if extra:
            batch.message = f"{batch.message} {extra}".strip()
            batch.save(update_fields=["message"])
        if batch.created or batch.updated or batch.matched:
            # A large import changes what the planner should expect of these tables.
            refresh_planner_statistics(tables)
        return batch
    _record_counts(batch, outcome, counted=count is not None)
    if outcome.rejected and not skip_invalid:
        batch.created = batch.updated = batch.unchanged = batch.matched = 0
        if offers_skipping:
            message = _(
                "%(count)s row(s) could not be read, so nothing was written. Correct them, or "
                "import again skipping invalid rows."
            ) % {"count": outcome.rejected}
        else:
            message = _("%(count)s row(s) could not be read, so nothing was written.") % {
                "count": outcome.rejected
            }
        return batch_finish(batch, user=user, status=ImportBatch.Status.FAILED, message=message)
    # A dry run: everything was done, then rolled back.
    return batch_finish(
        batch,
        user=user,
        status=ImportBatch.Status.SUCCEEDED,
        message=_success_message(batch, outcome),
    )


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _check_outcome(batch: ImportBatch, outcome: BatchOutcome, *, skip_invalid: bool) -> None:
    if not outcome.processed:
        raise FileFormatError(_("The file holds no records: nothing was imported."))
    if batch.dry_run or (outcome.rejected and not skip_invalid):
        raise _Rollback(outcome)


def _work_in_steps(
    batch: ImportBatch,
    *,
    user: User | None,
    path: Path,
    work: Callable[[ImportBatch, Path], BatchOutcome],
    skip_invalid: bool,
    counted: bool,
) -> None:
    """run_batch's work when it writes in steps: undone from its ledger unless it succeeds."""
    try:
        outcome = work(batch, path)
        _check_outcome(batch, outcome, skip_invalid=skip_invalid)
        with transaction.atomic():
            _record_counts(batch, outcome, counted=counted)
            batch_finish(
                batch,
                user=user,
                status=ImportBatch.Status.SUCCEEDED,
                message=_success_message(batch, outcome),
            )
            forget(batch)
    except BaseException:
        undo_batch(batch)
        raise


def undo_batch(batch: ImportBatch, *, alive: Callable[[], object] | None = None) -> int:
    """Take back what an import applying in steps wrote (ledger.py); resumable."""
    return undo(batch, rest=settings.IMPORT_STEP_REST, alive=alive)


def _record_counts(batch: ImportBatch, outcome: BatchOutcome, *, counted: bool) -> None:
    if not counted:
        batch.total = outcome.processed
    batch.processed = outcome.processed
    batch.rejected = outcome.rejected
    batch.errors = outcome.errors
    batch.warnings = outcome.warnings
    batch.created, batch.updated, batch.unchanged, batch.matched = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        outcome.matched,
    )


def _success_message(batch: ImportBatch, outcome: BatchOutcome) -> str:
    parts = [_matching_summary(outcome), outcome.summary]
    if batch.dry_run:
        parts.insert(0, _("Dry run: nothing was written."))
    return " ".join(part for part in parts if part)


def _matching_summary(outcome: BatchOutcome) -> str:
    parts = []
    if outcome.matched:
        parts.append(
            _("%(count)s record(s) joined a recommendation held from another source.")
            % {"count": outcome.matched}
        )
    if outcome.queued:
        parts.append(_("%(count)s possible duplicate(s) await review.") % {"count": outcome.queued})
    return " ".join(parts)


def import_file(
    *,
    user: User | None,
    format: str,
    path: str | Path,
    state: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    options: Mapping[str, object] | None = None,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import one file of recommendations; returns its recorded ImportBatch.

    ``format`` is a key of ``FORMATS``, or AUTOMATIC to recognise it from the file's content
    (``batch.options["recognised"]`` then says so; a file no format recognises raises
    ImportFileError without a batch); ``state`` limits the import to one State under review
    and names it where the format has none; ``options`` holds format options ("map" for tables,
    "symbol", "mechanism", "encoding" for text files). ``progress(processed, total)`` is
    called after every chunk.

    Rows that cannot be read end up in ``batch.errors`` with their line; without skip_invalid
    they make the batch fail and nothing is written. An unreadable file or a wrong format
    raises ``ImportFileError`` (a ValidationError) after the failed batch has been recorded.
    """
    _check_permission(user)
    file_path = Path(path)
    named = _format(format)
    import_format = named or recognised_format(file_path)
    format = import_format.name
    given = {key: value for key, value in (options or {}).items() if value not in EMPTY}
    batch_options = {**given, "state": state or "", "skip_invalid": skip_invalid}
    if named is None:
        batch_options["recognised"] = True
    if batch is None:
        batch = ImportBatch(
            format=format, file_name=file_path.name[:300], user=user, dry_run=dry_run
        )
    batch.options = {**batch.options, **batch_options}

    def work(batch: ImportBatch, path: Path) -> BatchOutcome:
        if progress:
            progress(0, batch.total)
        # Reading and resolving the records make garbage at the pace the writes do.
        with noting_encodings() as encodings, fewer_collections():
            outcome = _run(
                batch,
                import_format,
                path,
                state=state,
                options=given,
                skip_invalid=skip_invalid,
                progress=progress,
                ledger=None if batch.dry_run else Ledger(batch),
            )
        if encodings:
            # The encoding the text was read in, given or detected: the batch page shows it.
            batch.options = {**batch.options, "text_encoding": encodings[0]}
        return outcome

    return run_batch(
        batch,
        user=user,
        path=file_path,
        work=work,
        count=lambda path: import_format.count(path, options=given),
        skip_invalid=skip_invalid,
        after=lambda batch: _after_import(batch, user),
        tables=IMPORTED_TABLES,
        in_steps=True,
    )


def _after_import(batch: ImportBatch, user: User | None) -> str:
    """Once the recommendations are written, what the apps built on them do with a batch (tag
    suggestions, see extensions.py). Returns what the batch's message says of it."""
    if not (batch.created or batch.updated or batch.matched):
        return ""
    parts = (hook(batch, user) for hook in registered.after_import)
    return " ".join(part for part in parts if part)


def _run(
    batch: ImportBatch,
    import_format: ImportFormat,
    path: Path,
    *,
    state: str | None,
    options: dict[str, object],
    skip_invalid: bool,
    progress: Progress | None,
    ledger: Ledger | None = None,
) -> BatchOutcome:
    """Read a file of recommendations, then write it in chunks (see the module's docstring).

    First the whole file is read and resolved without writing a record (only the documents and
    free-label terms it names are created, noted in ``ledger``), its chunks staged in a
    temporary file; rows that cannot be read stop it there unless ``skip_invalid``. Then the
    staged chunks are written, each in a transaction of its own (``_Steps``) with what it
    changed noted in ``ledger``; with no ledger (a dry run), inside run_batch's transaction.
    ``progress(done, total)`` counts half a record read and half a record written."""
    terms = ImportTerms(ledger=ledger)
    documents = ImportDocuments(ledger=ledger)
    state_filter_id = None
    if state:
        state_match = terms.find_state(state)
        if state_match is None:
            raise FileFormatError(_("unknown State “%(name)s” (state option)") % {"name": state})
        state_filter_id = state_match.term_id
    errors: list[dict] = []
    warnings: list[dict] = []

    def warn(line: int | None, reason: str) -> None:
        if len(warnings) < MAX_STORED_ERRORS:
            warnings.append({"line": line, "reason": reason})

    rejected, processed, staged = 0, 0, 0
    chunk: list[_Resolved] = []
    keys: set[str] = set()

    def report(done: int) -> None:
        if progress:
            progress(done // 2, batch.total)

    with tempfile.TemporaryFile(prefix="rightstrack-import-") as stage:

        def flush() -> None:
            nonlocal staged
            if chunk and (skip_invalid or not rejected):
                pickle.dump(chunk, stage, protocol=pickle.HIGHEST_PROTOCOL)
                staged += 1
            chunk.clear()
            keys.clear()
            report(processed)

        for item in import_format.parse(path, state=state, options=options):
            if isinstance(item, RowWarning):
                # Of the file rather than a record ("the document does not call itself …").
                warn(item.line, item.reason)
                continue
            processed += 1
            if isinstance(item, RecordDraft):
                item = _resolve(
                    item,
                    terms=terms,
                    documents=documents,
                    default_state=state,
                    state_filter_id=state_filter_id,
                )
            if item is None:
                continue
            if isinstance(item, RowWarning):
                warn(item.line, item.reason)
                continue
            if isinstance(item, RowError):
                rejected += 1
                if len(errors) < MAX_STORED_ERRORS:
                    errors.append(item.as_dict())
                continue
            for reason in item.warnings:
                warn(item.line, reason)
            if item.key in keys:
                # The same record twice in one chunk: the second meets the first in the
                # database, like a record met again in a later chunk.
                flush()
            chunk.append(item)
            keys.add(item.key)
            if len(chunk) >= CHUNK_SIZE:
                flush()
        flush()
        writer = _Writer(batch, terms=terms, source_kind=import_format.source_kind, ledger=ledger)
        if skip_invalid or not rejected:
            stage.seek(0)
            steps = _Steps(writer, ledger)
            written = 0
            with steps.checkpointing():
                for _number in range(staged):
                    records: list[_Resolved] = pickle.load(stage)  # noqa: S301 - our own file
                    for done in steps.write(records):
                        report(processed + written + done)
                    written += len(records)
            steps.rested()
            report(2 * processed)
    return BatchOutcome(
        processed=processed,
        errors=errors,
        rejected=rejected,
        created=writer.created,
        updated=writer.updated,
        unchanged=writer.unchanged,
        warnings=sorted(warnings, key=lambda warning: warning["line"] or 0),
        matched=writer.matched,
        queued=writer.queued,
    )


#: Called between two steps of an import applying in steps, with the number of steps done
#: (tests: a parallel write, a failure half way).
between_steps: list[Callable[[ImportBatch, int], object]] = []


class _Steps:
    """Writes staged chunks in steps, each in a transaction of its own sized to hold the write
    lock about IMPORT_STEP_MILLISECONDS (0: a whole chunk), with a rest between two
    (IMPORT_STEP_REST) in which other writers take their turn; what each step changes goes into
    the ledger in the same transaction. With no ledger every step is a savepoint of the
    caller's transaction.

    Each step first reads what its matching needs (``_Writer.prepare``) without the lock, then
    writes in its transaction. The pace and the rest follow the time the lock was held, from
    the step's first statement to its commit: what it waited for the lock or read before is no
    one else's wait. That reading is part of the rest, which only sleeps for what is left of it.

    On SQLite the write-ahead log is copied into the database after each commit by a thread of
    the import's own (``checkpointing``, ``_Checkpoints``), which SQLite's automatic checkpoint
    does inside the commit: it holds no write lock (others write meanwhile), but timed with the
    step it was two thirds of the commits' time at 250,000 recommendations held
    (bench/import_speed.py), lengthening the rests and shortening the steps. Done after each
    step, the log stays as short as before, so no one else's save has a long log to copy; done
    beside the next step's reading and writing rather than before it, it no longer adds to the
    import's time (1,500 pages a step, 45 ms: 2.5 of 15 s importing 30,000 records).
    """

    # Records of the first step, before the pace is known; never fewer per step than the least.
    FIRST, LEAST = 100, 20

    def __init__(self, writer: _Writer, ledger: Ledger | None) -> None:
        self.writer = writer
        self.ledger = ledger
        self.hold = settings.IMPORT_STEP_MILLISECONDS / 1000
        self.size = self.FIRST if self.hold else CHUNK_SIZE
        self.done = 0
        # Inside a transaction already (a dry run): no lock is given up, so no rest.
        self.rest = settings.IMPORT_STEP_REST if ledger is not None else 0.0
        # When the rest after the last step ends (time.monotonic()).
        self.rested_at = 0.0
        # What copies the log into the database after each step (``checkpointing``), if any.
        self.checkpoints: _Checkpoints | None = None

    @contextlib.contextmanager
    def checkpointing(self) -> Iterator[None]:
        """While the steps are written: on SQLite, with steps of their own, the write-ahead log
        copied into the database after each step's commit rather than inside it (see the
        class); the automatic checkpoint is back as it was afterwards."""
        if connection.vendor != "sqlite" or self.ledger is None or connection.in_atomic_block:
            # Inside a transaction (a test's) nothing is committed before it ends.
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            (mode,) = cursor.fetchone()
            cursor.execute("PRAGMA wal_autocheckpoint")
            (before,) = cursor.fetchone()
        if str(mode).lower() != "wal":
            # No log to copy (an in-memory database, a test's).
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        self.checkpoints = _Checkpoints(connection.alias)
        try:
            yield
        finally:
            self.checkpoints.close()
            self.checkpoints = None
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")

    def rested(self) -> None:
        """Sleep for what is left of the rest after the last step (before the next step, and
        before the batch's result is written)."""
        if self.rest:
            time.sleep(max(0.0, self.rested_at - time.monotonic()))

    def write(self, records: list[_Resolved]) -> Iterator[int]:
        """Write one staged chunk; yields the records of it written so far after each step."""
        start = 0
        while start < len(records):
            part = records[start : start + self.size]
            self.writer.prepare(part)
            self.rested()
            if self.checkpoints is not None:
                self.checkpoints.wait()
            with transaction.atomic():
                locked = time.monotonic()
                self.writer.write(part)
                if self.ledger is not None:
                    self.ledger.save()
            held = time.monotonic() - locked
            self.rested_at = time.monotonic() + self.rest * held
            if self.checkpoints is not None:
                self.checkpoints.request()
            start += len(part)
            self.done += 1
            # The next step's size from this one's pace, moving half way there at most.
            if self.hold:
                pace = len(part) / max(held, 0.001)
                wanted = max(self.LEAST, min(CHUNK_SIZE, int(pace * self.hold)))
                self.size = max(self.LEAST, (self.size + wanted) // 2)
            for hook in between_steps:
                hook(self.writer.batch, self.done)
            yield start


class _Checkpoints:
    """A thread copying SQLite's write-ahead log into the database (a passive checkpoint: it
    waits for no one and holds no write lock) on a connection of its own, whenever asked
    (``request``, after each step's commit) while the import reads for the next step and
    rests; a request made while one is copied is done once that one ends. The next step waits
    for it (``wait``) before it writes: a checkpoint still copying when a step writes keeps the
    log from starting again at its beginning, so it grew (to 104 MB importing 30,000 records
    into 250,000 held) and the steps writing beside the copy took longer (6.6 s instead of 5.7 s
    in all). ``close`` waits for the last one asked for."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._changed = threading.Condition()
        self._asked = False
        self._copying = False
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="import-checkpoints", daemon=True)
        self._thread.start()

    def request(self) -> None:
        with self._changed:
            self._asked = True
            self._changed.notify_all()

    def wait(self) -> None:
        """Until the checkpoints asked for are done (or the thread is gone: never waits on
        nothing)."""
        with self._changed:
            while (self._asked or self._copying) and self._thread.is_alive():
                self._changed.wait(timeout=1.0)

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()

    def _run(self) -> None:
        # This thread's own connection (Django's are one per thread).
        own = connections[self.alias]
        try:
            while True:
                with self._changed:
                    while not (self._asked or self._closing):
                        self._changed.wait()
                    if not self._asked:
                        return
                    self._asked, self._copying = False, True
                try:
                    with own.cursor() as cursor:
                        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except Exception:
                    # The log is copied by the next checkpoint, or SQLite's automatic one; the
                    # thread goes on, as the import waits for it.
                    logger.warning("the import's checkpoint failed", exc_info=True)
                finally:
                    with self._changed:
                        self._copying = False
                        self._changed.notify_all()
        finally:
            own.close()


@dataclass(slots=True)
class HeldMatches:
    merged: int = 0
    queued: int = 0


def match_held(*, user: User | None, state: str | None = None) -> HeldMatches:
    """Join the recommendations held twice: what imports before source records existed wrote as
    separate recommendations (a UPR Info row beside the report's numbered entry), matched as an
    import matches (dedup.py). Confident matches are merged (recorded, reversible), doubtful ones
    queued for review. ``state`` (a name or code) limits it to one State under review."""
    _check_permission(user)
    terms = ImportTerms()
    numbered = Recommendation.objects.exclude(number="")
    if state:
        state_id = terms.find(Scheme.STATE, state)
        if state_id is None:
            raise ValidationError({"state": [_("Unknown State “%(name)s”.") % {"name": state}]})
        numbered = numbered.filter(state_id=state_id)
    writer = _Writer(ImportBatch(user=user), terms=terms)
    scopes = {
        scope
        for row in numbered.order_by().values("state_id", "mechanism_id", "session", "document_id")
        if (scope := writer._scope(row)) is not None
    }
    found = HeldMatches()
    scope_list = sorted(scopes, key=str)
    for start in range(0, len(scope_list), 50):
        held = writer._candidates(set(scope_list[start : start + 50]))
        for candidates in held.values():
            with transaction.atomic():
                _match_scope(writer, candidates, found)
    return found


def _match_scope(writer: "_Writer", candidates: list[Candidate], found: HeldMatches) -> None:
    numbered: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda item: item.id or 0):
        if not candidate.number:
            continue
        held = numbered.get(candidate.number)
        if held is not None and all(
            same_number(
                held, number=candidate.number, document_id=candidate.document_id, source_family=f
            )
            for f in candidate.families
        ):
            # The same number twice in one scope, from different sources: one recommendation.
            writer._merge(cast(int, held.id), cast(int, candidate.id))
            held.families |= candidate.families
            found.merged += 1
        elif held is None:
            numbered[candidate.number] = candidate
    queue: list[tuple[int, int, float]] = []
    first_source: dict[int, int] = {}
    for candidate in candidates:
        if candidate.number or candidate.id is None:
            continue
        decision = decide(
            candidate.text,
            sorted(candidate.states),
            sorted(candidate.families or {""})[0],
            list(numbered.values()),
        )
        if decision.join is not None and decision.join.id is not None:
            writer._merge(decision.join.id, candidate.id)
            found.merged += 1
        elif decision.doubtful:
            if not first_source:
                first_source = _first_sources([item.id for item in candidates if item.id])
            queue += [
                (first_source[candidate.id], cast(int, scored.candidate.id), scored.score)
                for scored in decision.doubtful
                if candidate.id in first_source
            ]
    if queue:
        decided = set(
            MatchCandidate.objects.filter(
                source_id__in={source for source, _candidate, _score in queue}
            ).values_list("source_id", "candidate_id")
        )
        rows = [row for row in queue if (row[0], row[1]) not in decided]
        writer._insert_candidates(rows)
        found.queued += len(rows)


def _first_sources(recommendation_ids: list[int]) -> dict[int, int]:
    first: dict[int, int] = {}
    for pk, source_id in (
        SourceRecord.objects.filter(recommendation_id__in=recommendation_ids)
        .order_by("-pk")
        .values_list("recommendation_id", "pk")
    ):
        first[pk] = source_id
    return first
