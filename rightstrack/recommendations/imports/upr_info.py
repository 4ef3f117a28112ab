"""The UPR Info database export: one CSV row per recommendation, in Mac Roman with CR line ends.

Columns: To (State under review), Text, From (recommending State), Response (Accepted / Noted /
blank), Action (action category 1–5), Issue (comma-separated UPR Info issues), Session; the
regional group and organisation columns are not imported. Rows have no identifier, so the
natural key is the session with a digest of State under review, recommending State and text.
"""

import csv

from ..models import Position
from .records import FileFormatError, RecordDraft, RowError
from .values import clean_text, header_of, parse_int, text_file, text_hash, upr_cycle

REQUIRED_COLUMNS = ("To", "Text", "From", "Session")
RESPONSES = {"accepted": Position.SUPPORTED, "noted": Position.NOTED, "": Position.UNKNOWN}
ACTION_CATEGORIES = {"1", "2", "3", "4", "5"}
# UPR Info's placeholder for a recommendation whose recommending State it did not record.
UNKNOWN_STATE = "(unknown)"


# The export is Mac Roman (or UTF-8 when saved again); a file that reads as mojibake in Mac Roman
# is refused with the encoding it reads in (core.intake), never imported as mojibake.
ENCODINGS = ("mac_roman",)


def sniff(probe):
    header = header_of(probe.text)
    return all(name in header for name in REQUIRED_COLUMNS)


def _rows(path, options=None):
    with text_file(path, options, candidates=ENCODINGS) as text:
        yield from _read(text)


def _read(text):
    # Lines keep their ends, CR, LF or CR LF, so the old Mac export reads like any other.
    reader = csv.reader(text.lines(), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise FileFormatError("the file is empty")
        header = [clean_text(name) for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise FileFormatError("not a UPR Info export: missing column(s) " + ", ".join(missing))
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, header, row
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileFormatError(f"line {reader.line_num}: invalid CSV ({error})") from None


def count(path, *, options=None):
    return sum(1 for _row in _rows(path, options))


def _draft(line, values, occurrences):
    to = clean_text(values.get("To"))
    text = clean_text(values.get("Text"))
    if not to:
        return RowError(line, "no State under review (column To)")
    if not text:
        return RowError(line, "no recommendation text (column Text)")
    try:
        session = parse_int(values.get("Session"))
    except ValueError:
        return RowError(line, f"session “{values.get('Session')}” is not a number")
    if not session:
        return RowError(line, "no session (column Session)")
    response = clean_text(values.get("Response"))
    if response.lower() not in RESPONSES:
        return RowError(line, f"unknown response “{response}” (expected Accepted or Noted)")
    action = clean_text(values.get("Action"))
    if action and action not in ACTION_CATEGORIES:
        return RowError(line, f"unknown action category “{action}” (expected 1 to 5)")
    recommending = clean_text(values.get("From"))
    states = [] if recommending.lower() in ("", UNKNOWN_STATE) else [recommending]
    issues = [clean_text(issue) for issue in (values.get("Issue") or "").split(",")]

    # The export repeats a few rows word for word; the n-th repetition gets its own key.
    key = f"upr-info:s{session}:{text_hash(to, recommending, text)}"
    occurrences[key] = occurrences.get(key, 0) + 1
    if occurrences[key] > 1:
        key = f"{key}:{occurrences[key]}"
    return RecordDraft(
        source_key=key,
        line=line,
        text=text,
        state=to,
        mechanism="UPR",
        session=session,
        cycle=upr_cycle(session),
        recommending_states=states,
        position=str(RESPONSES[response.lower()]),
        action_category=action,
        tags=[("upr-info-issue", issue) for issue in issues if issue],
    )


def parse(path, *, state=None, options=None):
    occurrences = {}
    for line, header, row in _rows(path, options):
        if len(row) != len(header):
            yield RowError(line, f"expected {len(header)} fields, found {len(row)}")
            continue
        yield _draft(line, dict(zip(header, row, strict=True)), occurrences)
