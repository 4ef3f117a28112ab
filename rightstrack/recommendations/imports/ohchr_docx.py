"""OHCHR "UPR thematic list of recommendations" Word files.

One table; a row per recommendation: "122.12 Adopt … (United Kingdom …);" and "Source of position:
A/HRC/43/15/Add.1 - Para.3" in the first cell, the position in the second, and the UHRI labels in
the "Full list of themes" cell: themes (coded "A12 Acceptance of international norms" in older
lists, plain names after "- " in newer ones), then "SDGs:" and "Affected persons:" sections.
Rows starting with "Theme:" are section headers. "Line" numbers are table row numbers.

The recommendations belong to the Working Group report (A/HRC/43/15), so the natural key is that
symbol and the number, the same key an import of the report itself gives.
"""

import re
import zipfile
from collections import Counter

import docx
from docx.opc.exceptions import PackageNotFoundError

from .records import FileFormatError, RecordDraft, RowError
from .uhri_json import sdg_tag
from .values import check_zip, clean_text, document_key, normalize_symbol, parse_position, upr_cycle
from .wordings import all_states, join_wordings, split_wordings

_NUMBER = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+")
_SOURCE_OF_POSITION = re.compile(r"source\s+of\s+position\s*:?", re.IGNORECASE)
_REPORT_SYMBOL = re.compile(r"A/HRC/\d+/\d+", re.IGNORECASE)
_SESSION_IN_NAME = re.compile(r"UPR[\s_-]*(\d{1,2})", re.IGNORECASE)
_NAME_NOISE = re.compile(r"^(UPR\d*|thematic|list|thematiclist|cycle\d*|\d+)$", re.IGNORECASE)
WORKING_GROUP_REPORT_TITLE = "Report of the Working Group on the Universal Periodic Review: {state}"
# How much of the document's XML format detection reads: the table header comes early.
SNIFF_BYTES = 4 << 20
_SECTIONS = {"sdgs": "sdg", "sdg": "sdg", "affected persons": "affected-persons"}


def sniff(probe):
    """A Word document whose text speaks of recommendations and positions (the thematic
    list's table header); the container was checked against the zip limits by the probe."""
    if probe.zip_members is None or "word/document.xml" not in probe.zip_members:
        return False
    with zipfile.ZipFile(probe.path) as archive, archive.open("word/document.xml") as stream:
        xml = stream.read(SNIFF_BYTES)
    text = re.sub(rb"<[^>]+>", b"", xml).lower()
    return b"recommendation" in text and b"position" in text


def _open(path):
    # A zip bomb is refused before python-docx decompresses anything.
    check_zip(path)
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise FileFormatError("not a Word (.docx) file") from None
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read ({error.strerror or error})") from None


def _recommendation_table(document):
    for table in document.tables:
        if not table.rows:
            continue
        header = [clean_text(cell.text).lower() for cell in table.rows[0].cells]
        if "recommendation" in header and "position" in header:
            themes = next((i for i, name in enumerate(header) if "theme" in name), None)
            return table, header.index("recommendation"), header.index("position"), themes
    raise FileFormatError(
        "not an OHCHR thematic list: no table with Recommendation and Position columns"
    )


def _rows(path):
    """(row number, recommendation cell, position cell, themes cell) of each recommendation."""
    table, text_column, position_column, themes_column = _recommendation_table(_open(path))
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [cell.text for cell in row.cells]
        first = clean_text(cells[text_column])
        if not first or first.lower().startswith("theme:"):
            continue
        themes = cells[themes_column] if themes_column is not None else ""
        yield number, cells[text_column], cells[position_column], themes


def count(path, *, options=None):
    return sum(1 for _row in _rows(path))


def theme_tags(cell):
    """Tags of a "Full list of themes" cell, section by section."""
    tags, section = [], "uhri-theme"
    for raw_line in cell.splitlines():
        line = clean_text(raw_line)
        heading = line.rstrip(":").strip().lower()
        if line.endswith(":") and heading in _SECTIONS:
            section = _SECTIONS[heading]
            continue
        value = line[1:].strip() if line.startswith("-") else line
        if not value:
            continue
        if section == "sdg":
            tag = sdg_tag(value)
            tags.append(tag if tag else ("sdg-goal", value))
        else:
            tags.append((section, value))
    return tags


def _split_cell(cell):
    """(recommendation text, source of position) of the first cell."""
    parts = _SOURCE_OF_POSITION.split(cell, maxsplit=1)
    source = clean_text(parts[1]) if len(parts) > 1 else ""
    return clean_text(parts[0]), source


def _report_symbol(source):
    match = _REPORT_SYMBOL.search(source)
    return normalize_symbol(match.group()) if match else ""


def state_from_name(path):
    """ "Slovenia" from "UPR34_Slovenia_ThematicList.docx"."""
    words = [word for word in re.split(r"[\s_\-.]+", path.stem) if word]
    return " ".join(word for word in words if not _NAME_NOISE.match(word))


def session_from_name(path):
    match = _SESSION_IN_NAME.search(path.stem)
    return int(match.group(1)) if match else None


def parse(path, *, state=None, options=None):
    options = options or {}
    rows = list(_rows(path))
    # The report's symbol is in every "Source of position"; the most frequent one is the report.
    symbols = Counter(_report_symbol(_split_cell(cell)[1]) for _n, cell, _p, _t in rows)
    symbols.pop("", None)
    symbol = normalize_symbol(options.get("symbol") or "") or (
        symbols.most_common(1)[0][0] if symbols else ""
    )
    if not symbol:
        raise FileFormatError(
            "the Working Group report's symbol is not in the file; give it as the symbol option"
        )
    state_name = clean_text(state) or state_from_name(path)
    session = session_from_name(path)
    for line, cell, position_cell, themes_cell in rows:
        text, source = _split_cell(cell)
        match = _NUMBER.match(text)
        if not match:
            yield RowError(line, f"no recommendation number (like 122.12) in “{text[:60]}”")
            continue
        position = parse_position(position_cell)
        if position is None:
            yield RowError(line, f"unknown position “{clean_text(position_cell)}”")
            continue
        wordings = split_wordings(text[match.end() :])
        yield RecordDraft(
            source_key=document_key(symbol, match.group(1)),
            line=line,
            text=join_wordings(wordings),
            state=state_name,
            mechanism="UPR",
            document_symbol=symbol,
            document_kind="upr-wg-report",
            document_title=WORKING_GROUP_REPORT_TITLE.format(state=state_name),
            number=match.group(1),
            session=session,
            cycle=upr_cycle(session),
            wordings=wordings,
            recommending_states=all_states(wordings),
            position=position,
            position_source=source,
            tags=theme_tags(themes_cell),
        )
