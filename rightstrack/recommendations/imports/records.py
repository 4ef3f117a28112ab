"""What parsers produce: drafts of recommendations, row errors, and file errors."""

import datetime
from dataclasses import dataclass, field

from rightstrack.core.intake import IntakeError


class FileFormatError(IntakeError):
    """The file cannot be read at all, or is not of the format asked for (the refusals of
    ``core.intake``, a limit or an encoding, are the same kind of error)."""


@dataclass(frozen=True, slots=True)
class LineNote:
    """Something said of a row (or record); ``line`` is its line or record number."""

    line: int | None
    reason: str

    def as_dict(self):
        return {"line": self.line, "reason": self.reason}


class RowError(LineNote):
    """A row (or record) that cannot be read."""

    __slots__ = ()


class RowWarning(LineNote):
    """A doubtful value that did not stop a row: listed on the batch by line."""

    __slots__ = ()


@dataclass(slots=True)
class RecordDraft:
    """One recommendation as a source states it: names and codes, not database rows yet.

    ``source_key`` is the stable natural key that makes importing the same source again
    create nothing: "uhri:<AnnotationId>", "doc:<SYMBOL>#<number>", "upr-info:s8:<hash>".
    Empty values mean "the source does not say", never "clear what is there".
    """

    source_key: str
    line: int | None
    text: str
    state: str = ""
    mechanism: str = ""
    document_symbol: str = ""
    document_kind: str = ""
    document_title: str = ""
    document_date: datetime.date | None = None
    number: str = ""
    annotation_type: str = ""
    date: datetime.date | None = None
    cycle: int | None = None
    session: int | None = None
    # [{"text": "...", "states": ["Brazil", "Italy"]}] when several States' wordings share a number.
    wordings: list[dict] = field(default_factory=list)
    recommending_states: list[str] = field(default_factory=list)
    position: str = ""
    position_source: str = ""
    action_category: str = ""
    # (scheme, value) pairs, e.g. ("sdg-target", "16.2"), ("uhri-theme", "Right to health").
    tags: list[tuple[str, str]] = field(default_factory=list)
    # The text as the source wrote it, States' parentheses and all, when the parser split it
    # into wordings: the import splits it again knowing which names are States.
    raw_text: str = ""
    # Doubtful values the parser met but read anyway ("position “Supported*” read as
    # supported"); the import lists them on the batch with the line.
    warnings: list[str] = field(default_factory=list)
    # A response to recommendations already imported (a report's addendum): it sets their
    # position and never creates one.
    updates_only: bool = False
