"""Reading the values that every format shares: text in old encodings, positions, dates, keys."""

import contextlib
import csv
import datetime
import hashlib
import html
import re
import unicodedata
import zipfile
from contextvars import ContextVar

from rightstrack.core import intake

from ..models import Position
from .records import FileFormatError

# Encodings seen in exports that are not UTF-8: the UPR Info database wrote Mac Roman; text
# extracted from UN PDFs comes as Windows-1252 or Mac Roman bytes under a Latin-1 label.
LEGACY_ENCODINGS = intake.LEGACY_CANDIDATES


def read_bytes(path):
    try:
        return path.read_bytes()
    except OSError as error:
        raise file_error(intake.unreadable(error)) from None


def decode_text(raw, *, legacy_encodings=LEGACY_ENCODINGS, encoding=None):
    """Text of raw bytes held in memory, decoded as core.intake decides (BOM, UTF-8, the most
    plausible legacy encoding; mojibake refused). Files are read with ``intake.open_text``.

    Line endings are left as they are (CSV readers need them); use ``normalize_newlines``.
    """
    try:
        return intake.decode_bytes(raw, encoding=encoding, candidates=legacy_encodings)
    except intake.IntakeError as error:
        raise file_error(error) from None


def file_error(error):
    """A refusal of core.intake as the importers' FileFormatError, keeping its limit."""
    if isinstance(error, FileFormatError):
        return error
    converted = FileFormatError(error.message)
    converted.status = error.status
    converted.setting = getattr(error, "setting", "")
    return converted


# The encodings the text files read in this context were read in (see ``noting_encodings``).
_ENCODINGS: ContextVar[list[str] | None] = ContextVar("import_encodings", default=None)


@contextlib.contextmanager
def noting_encodings():
    """Inside, every text file opened by ``text_file`` adds the codec it is read in to the
    list yielded (once each): what an import records on its batch."""
    noted: list[str] = []
    token = _ENCODINGS.set(noted)
    try:
        yield noted
    finally:
        _ENCODINGS.reset(token)


@contextlib.contextmanager
def text_file(path, options=None, *, candidates=LEGACY_ENCODINGS):
    """``core.intake.open_text`` in the encoding the options give (else detected among
    ``candidates``), its refusals raised as FileFormatError."""
    try:
        with intake.open_text(
            path, encoding=(options or {}).get("encoding"), candidates=candidates
        ) as text:
            noted = _ENCODINGS.get()
            if noted is not None and text.codec not in noted:
                noted.append(text.codec)
            yield text
    except intake.IntakeError as error:
        raise file_error(error) from None


def check_zip(path):
    """``core.intake.check_zip`` on a zip container (what the reading library would open as
    one), its refusals raised as FileFormatError; a file that is no zip at all is left to the
    format's own refusal ("not a Word file")."""
    try:
        if not zipfile.is_zipfile(path):
            return []
        return intake.check_zip(path)
    except intake.IntakeError as error:
        raise file_error(error) from None


def header_of(text):
    """The cleaned names of the first row of a table's text (a format's sniff), or []."""
    if not text:
        return []
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    row = next(csv.reader([first], dialect), [])
    return [clean_text(name) for name in row]


def normalize_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(value):
    """Text with HTML entities decoded, Unicode composed and whitespace collapsed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return " ".join(text.split())


POSITION_WORDS = {
    "supported": Position.SUPPORTED,
    "accepted": Position.SUPPORTED,
    "support": Position.SUPPORTED,
    "enjoyed support": Position.SUPPORTED,
    "supported in part": Position.SUPPORTED_IN_PART,
    "partially supported": Position.SUPPORTED_IN_PART,
    "partially accepted": Position.SUPPORTED_IN_PART,
    "supported noted": Position.SUPPORTED_IN_PART,
    "accepted noted": Position.SUPPORTED_IN_PART,
    "noted": Position.NOTED,
    "not supported": Position.NOTED,
    "rejected": Position.NOTED,
    "not accepted": Position.NOTED,
    "pending": Position.PENDING,
    "will be examined": Position.PENDING,
    "to be examined": Position.PENDING,
    "": Position.UNKNOWN,
    "not stated": Position.UNKNOWN,
    "unknown": Position.UNKNOWN,
    "no response": Position.UNKNOWN,
}


def position_key(value):
    return " ".join(re.findall(r"[a-z]+", clean_text(value).lower()))


def parse_position(value):
    """The Position for "Accepted", "Supported", "Noted", "Partially supported"…, else None."""
    if isinstance(value, Position):
        return value.value
    if isinstance(value, str):
        quick = value.strip().lower()
        if quick in POSITION_WORDS:
            return str(POSITION_WORDS[quick])
    key = position_key(value)
    if key in POSITION_WORDS:
        return str(POSITION_WORDS[key])
    if key in Position.values:
        return key
    return None


def combine_positions(values):
    """One position from several (UHRI lists one per recommending State): mixed is in part."""
    parsed = [parse_position(value) for value in values]
    if None in parsed:
        return None
    positions = {position for position in parsed if position}
    if {Position.SUPPORTED, Position.NOTED} <= positions or Position.SUPPORTED_IN_PART in positions:
        return Position.SUPPORTED_IN_PART.value
    for position in (Position.SUPPORTED, Position.NOTED, Position.PENDING):
        if position in positions:
            return position.value
    return Position.UNKNOWN.value


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y")


def parse_date(value):
    """A date from ISO text ("2025-02-12T00:00:00"), common day-first forms, or a datetime.

    Returns None for no value; raises ValueError for a value that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date")


def parse_int(value):
    """An integer from 8, "8", "8.0", "Session 8" or "Cycle 3"; None for no value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{value}” is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = re.search(r"\d+", str(value))
    if not match:
        raise ValueError(f"“{value}” is not a number")
    return int(match.group())


def upr_cycle(session):
    """The UPR cycle of a Working Group session: 1–12 first, 13–26 second, 27–40 third."""
    if not session:
        return None
    if session <= 12:
        return 1
    if session <= 26:
        return 2
    if session <= 40:
        return 3
    return 4


ORDINALS = {
    word: number
    for number, word in enumerate(
        (
            *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
            *("ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
            *("sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
        ),
        start=1,
    )
}


def ordinal_number(text):
    """8 for "eighth", 43 for "forty-third"; None when the text is no ordinal we know."""
    words = text.lower().replace("-", " ").split()
    tens = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
    if len(words) == 2 and words[0] in tens and words[1] in ORDINALS and ORDINALS[words[1]] < 10:
        return tens[words[0]] + ORDINALS[words[1]]
    if len(words) == 1:
        if words[0] in ORDINALS:
            return ORDINALS[words[0]]
        for word, value in tens.items():
            if words[0] == word[:-1] + "ieth":
                return value
    return None


def normalize_symbol(symbol):
    return clean_text(symbol).upper().replace(" ", "")


def document_key(symbol, number):
    """The natural key of a numbered recommendation in a UN document: "doc:A/HRC/15/16#98.16"."""
    return f"doc:{normalize_symbol(symbol)}#{clean_text(number)}"


def text_hash(*parts):
    """A short stable digest of cleaned texts (see clean_text), ignoring case."""
    folded = "|".join(part.casefold() for part in parts)
    return hashlib.sha1(folded.encode(), usedforsecurity=False).hexdigest()


def split_list(value, *, separators=";\n"):
    """Items of a list cell: "a; b" or "a\\nb"; commas only when nothing else separates."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [text for text in (clean_text(item) for item in value) if text]
    text = str(value)
    pattern = "[" + re.escape(separators) + "]"
    parts = re.split(pattern, text) if re.search(pattern, text) else text.split(",")
    return [item for item in (clean_text(part) for part in parts) if item]
