"""OHCHR "UPR thematic list of recommendations" Word files, in every layout of cycles 1–4.

One table (sometimes one per page or per theme); a row per recommendation. The columns are
found by what their titles mean, wherever they stand and however they are spelt ("Position",
"Position of the State under review", "Response"…):

- the recommendation: "Recommendation", "Recommendation and recommending State": "122.12
  Adopt … (United Kingdom …);" with "Source of position: A/HRC/43/15/Add.1 - Para.3" under it;
  a number column ("No.", "Rec. no.") and a recommending States column where a layout has them;
- the position: "Supported", "Noted", "Supported/Noted" (and the source of position, when the
  layout puts it there or in a column of its own);
- the UHRI labels: "Full list of themes" or "Human rights themes and groups of persons": themes
  (coded "A12 Acceptance of international norms" in older lists, plain names after "- " in newer
  ones), then "SDGs:" and "Affected persons:" sections; "Relevant SDGs" and "Affected persons"
  columns where a layout has them.

Rows starting with "Theme:" are section headers. "Line" numbers are table row numbers, counted
on through all the tables.

The metadata comes from the document: its page headers and captions ("UPR of Slovenia (3rd
Cycle – 34th session)"), the "Source of position" of its rows (the Working Group report's symbol,
A/HRC/43/15); the file name ("UPR34_Slovenia_ThematicList.docx") and the state option only when
the document does not say. The recommendations belong to the Working Group report, so the
document is that report; the list is a source of its own ("thematic-list:A/HRC/43/15#122.12"),
which an import joins to the report's recommendation of the same number (recommendations/dedup.py).
"""

import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from rightstrack.core.intake import zip_member_start

from ..models import Position
from .documents import docx_xml_text, paragraph_text
from .records import FileFormatError, RowError
from .uhri_json import sdg_tag
from .un_wg_addendum import phrases_in
from .un_wg_report import SYMBOL, format_symbol, report_recommendation
from .values import (
    ORDINALS,
    check_zip,
    clean_text,
    combine_positions,
    normalize_symbol,
    parse_position,
    split_list,
    upr_cycle,
)
from .wordings import all_states, join_wordings, split_wordings

THEMATIC_LIST_KEY_PREFIX = "thematic-list:"
_NUMBER = re.compile(
    r"^\s*(?:rec(?:ommendation)?s?\.?\s*(?:no\.?|n°|#)?\s*)?(\d{1,3}\s?\.\s?\d{1,3})\.?(?=\s|$|[A-Z])",
    re.IGNORECASE,
)
_PLAIN_NUMBER = re.compile(r"^\s*(\d{1,3})\.?\s*$")
_SOURCE_OF_POSITION = re.compile(r"source\s+of\s+(?:the\s+)?position\s*:?", re.IGNORECASE)
_SESSION_IN_NAME = re.compile(r"UPR[\s_-]*(\d{1,2})", re.IGNORECASE)
_NAME_NOISE = re.compile(
    r"^(UPR\d*|thematic|list|thematiclist|recommendations?|cycle\d*|session\d*|\d+|"
    r"\d+(st|nd|rd|th))$",
    re.IGNORECASE,
)
_ORDINAL = r"\d{1,2}\s*(?:st|nd|rd|th)?|first|second|third|fourth|fifth"
# "UPR of Slovenia (2nd Cycle – 20th session)", "UPR of Bolivia (Plurinational State of) (4th
# cycle, 48th session)".
_REVIEW = re.compile(
    rf"UPR\s+of\s+(?:the\s+)?(?P<state>\S.*?)\s*\(\s*(?P<cycle>{_ORDINAL})\s*cycle\W*"
    rf"(?P<session>{_ORDINAL})\s*session",
    re.IGNORECASE | re.DOTALL,
)
_CYCLE = re.compile(rf"\b(?P<cycle>{_ORDINAL})\s*(?:UPR\s+)?cycle\b", re.IGNORECASE)
_SESSION = re.compile(
    rf"\b(?P<session>{_ORDINAL})\s*(?:UPR\s+)?session\b|\bsession\s*(?:no\.?\s*)?(?P<n>\d{{1,2}})\b",
    re.IGNORECASE,
)
_STATE_CAPTION = re.compile(
    r"(?:UPR\s+of|Universal\s+Periodic\s+Review\s+(?:of|[-–—:]))\s+(?:the\s+)?"
    r"(?P<state>[A-Z][^\n()\t]{1,80}?)\s*(?:$|\n|\t|\(|[-–—]\s)",
)
# How much of a Word file's XML a sniff reads (the first rows of its first tables).
SNIFF_XML_BYTES = 1 << 20
_WORKING_GROUP_TITLE = re.compile(r"Report\s+of\s+the\s+Working\s+Group", re.IGNORECASE)

# What the columns mean, told by their titles.
TEXT, NUMBER, STATES, POSITION, SOURCE, THEMES, PERSONS, SDGS, OTHER = (
    "text",
    "number",
    "states",
    "position",
    "source",
    "themes",
    "persons",
    "sdgs",
    "other",
)
_SECTIONS = {
    "sdgs": "sdg",
    "sdg": "sdg",
    "relevant sdgs": "sdg",
    "sustainable development goals": "sdg",
    "affected persons": "affected-persons",
    "persons affected": "affected-persons",
    "groups of persons": "affected-persons",
    "affected groups": "affected-persons",
    "concerned groups": "affected-persons",
    "themes": "uhri-theme",
    "theme": "uhri-theme",
    "human rights themes": "uhri-theme",
}
_SDG_PREFIX = re.compile(r"^\s*(?:SDG|Goal|Target)s?\s*:?\s*", re.IGNORECASE)


def column_role(title):
    """What a column holds, from its title: TEXT, NUMBER, STATES, POSITION… or None."""
    words = " ".join(re.sub(r"[^\w/&]+", " ", clean_text(title).lower()).split())
    if not words:
        return None
    if "source" in words and ("position" in words or "response" in words):
        return SOURCE
    if "sdg" in words or "sustainable development" in words:
        return SDGS
    if any(word in words for word in ("assessment", "comment", "implementation", "remarks")):
        return OTHER
    if "position" in words or "response" in words or words in ("status", "reply", "view"):
        return POSITION
    if "theme" in words or "issue" in words:
        return THEMES
    if "persons" in words or "affected" in words or "groups" in words:
        return PERSONS
    if re.fullmatch(r"(rec(ommendation)?s? )?(no|n°|nr|number|#|para|paragraph)", words):
        return NUMBER
    if "recommending" in words or words in (
        "state",
        "states",
        "recommended by",
        "made by",
        "country",
        "countries",
        "recommending state s",
        "from",
    ):
        return STATES if "recommendation" not in words else TEXT
    if "recommendation" in words:
        return TEXT
    return None


@dataclass
class _Layout:
    roles: dict  # column index -> role
    header: list  # the header row's cell texts, to skip it where it repeats

    def column(self, role):
        return next((index for index, name in self.roles.items() if name == role), None)


def _layout(cells):
    roles = {index: column_role(cell) for index, cell in enumerate(cells)}
    roles = {index: role for index, role in roles.items() if role}
    # A merged title cell repeats in the cells it spans: each column once.
    seen, unique = set(), {}
    for index, role in roles.items():
        key = (role, clean_text(cells[index]))
        if key not in seen:
            seen.add(key)
            unique[index] = role
    found = set(unique.values())
    if TEXT in found and (found & {POSITION, THEMES, SDGS, STATES, NUMBER}):
        return _Layout(unique, [clean_text(cell) for cell in cells])
    return None


def _open(path):
    # A zip bomb is refused before python-docx decompresses anything.
    check_zip(path)
    # python-docx loads where a Word file is read, not in every web process at start.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise FileFormatError("not a Word (.docx) file") from None
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read ({error.strerror or error})") from None


class _CellReader:
    """The texts of a table's rows by grid column, read from the XML: a cell spanning columns
    stands in each, a cell merged down repeats the text of the cell it continues (as
    python-docx's ``row.cells`` gives them, which rebuilds the whole grid for every row)."""

    def __init__(self):
        self.above = {}  # column -> text of the last cell that starts a vertical merge

    def texts(self, row):
        texts = []
        for tc in row._tr.tc_lst:
            text = "\n".join(paragraph_text(p) for p in tc.p_lst)
            column = len(texts)
            if tc.vMerge == "continue":
                text = self.above.get(column, text)
            elif tc.vMerge == "restart":
                self.above[column] = text
            texts.extend([text] * max(1, tc.grid_span))
        return texts


@dataclass
class _Row:
    line: int
    cells: list
    layout: _Layout

    def cell(self, role):
        index = self.layout.column(role)
        return self.cells[index] if index is not None and index < len(self.cells) else ""


def _rows(document):
    """Every recommendation row of every table that has (or continues) a recommendation table."""
    line, layout, found = 0, None, False
    for table in document.tables:
        rows = list(table.rows)
        reader = _CellReader()
        start = 0
        table_layout = None
        for index, row in enumerate(rows[:5]):
            table_layout = _layout(reader.texts(row))
            if table_layout:
                start = index + 1
                break
        if table_layout is None and layout is not None and rows:
            # A table that goes on where the last one stopped (a page or a theme further).
            same_width = len(reader.texts(rows[0])) == len(layout.header)
            table_layout = layout if same_width else None
        if table_layout is None:
            line += len(rows)
            continue
        layout, found = table_layout, True
        line += start
        for row in rows[start:]:
            line += 1
            cells = reader.texts(row)
            if [clean_text(cell) for cell in cells] == layout.header:
                continue
            yield _Row(line, cells, layout)
    if not found:
        raise FileFormatError(
            "not an OHCHR thematic list: no table with a recommendation column and a position, "
            "theme or SDG column"
        )


def _is_section(row):
    first = clean_text(row.cells[0] if row.cells else "")
    if re.match(r"^(theme|cluster|issue|thematic area)s?\s*:", first, re.IGNORECASE):
        return True
    distinct = {clean_text(cell) for cell in row.cells}
    return len(distinct) == 1 and not _NUMBER.match(first)


def _recommendation_rows(document):
    for row in _rows(document):
        if _is_section(row) or not clean_text(row.cell(TEXT)):
            continue
        yield row


def count(path, *, options=None):
    return sum(1 for _row in _recommendation_rows(_open(path)))


def sniff(probe):
    """A Word file whose first table has a recommendation column and a position, theme or SDG
    column, and that is not a Working Group report or its addendum (``probe``: a
    core.intake.FileProbe, whose zip container was checked against the limits)."""
    if probe.zip_members is None or "word/document.xml" not in probe.zip_members:
        return False
    if _WORKING_GROUP_TITLE.search(docx_xml_text(probe.path)[:5000]):
        return False
    return any(_layout(line.split("\t")) for line in _table_header_lines(probe.path))


def _table_header_lines(path, limit=SNIFF_XML_BYTES):
    """The cells of the first rows of the tables of a Word file, read from a bounded start of
    its XML (tab-separated)."""
    xml = zip_member_start(path, "word/document.xml", limit)
    lines = []
    for row in re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.DOTALL)[:40]:
        cells = re.findall(r"<w:tc[ >].*?</w:tc>", row, re.DOTALL)
        lines.append(
            "\t".join(
                " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell)) for cell in cells
            )
        )
    return lines


# The values of a row


def theme_tags(cell, section="uhri-theme"):
    """Tags of a themes cell ("Full list of themes"), section by section."""
    tags = []
    for raw_line in cell.splitlines():
        line = clean_text(raw_line)
        if not line:
            continue
        heading, colon, rest = line.partition(":")
        key = heading.strip().lower()
        if colon and key in _SECTIONS:
            section = _SECTIONS[key]
            line = rest.strip()
            if not line:
                continue
        value = line.lstrip("-–•* ").strip()
        if value:
            tags.append(_tag(section, value))
    return tags


def _tag(section, value):
    if section == "sdg":
        bare = _SDG_PREFIX.sub("", value)
        tag = sdg_tag(bare)
        return tag if tag else ("sdg-goal", value)
    return (section, value)


def split_cell(cell):
    """(text, source of position) of a cell that may end with "Source of position: …"."""
    parts = _SOURCE_OF_POSITION.split(cell, maxsplit=1)
    source = clean_text(parts[1]) if len(parts) > 1 else ""
    return clean_text(parts[0]), source


def position_of(cell):
    """(position, doubtful) of a position cell: "Supported", "Noted", "Supported/Noted",
    "Supported (partially)", "Noted*"…; None when it says nothing we read."""
    text = clean_text(cell)
    if not text:
        return Position.UNKNOWN.value, False
    for candidate in (text, text.splitlines()[0] if text else "", re.sub(r"[*†\d]+$", "", text)):
        position = parse_position(candidate)
        if position:
            return position, False
    phrases = phrases_in(text)
    if phrases:
        return combine_positions([position for _start, position in phrases]), True
    return None, True


def report_symbol(source):
    """The Working Group report's symbol in a source of position ("A/HRC/43/15/Add.1 …")."""
    match = SYMBOL.search(source)
    return format_symbol(int(match.group(1)), int(match.group(2))) if match else ""


def _number(text, number_cell):
    """(number, the text after it) from the number column, else from the text's start."""
    if number_cell:
        match = _NUMBER.match(clean_text(number_cell)) or _PLAIN_NUMBER.match(number_cell)
        if match:
            return match.group(1).replace(" ", ""), text
    match = _NUMBER.match(text)
    if match:
        return match.group(1).replace(" ", ""), text[match.end() :].strip()
    return None, text


# Metadata


def _document_texts(document):
    """The page headers, the paragraphs and the tables' first row, where the review is named."""
    texts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            try:
                texts.extend(paragraph.text for paragraph in part.paragraphs)
                for table in part.tables:
                    texts.extend(cell.text for row in table.rows for cell in row.cells)
            except (KeyError, ValueError):
                continue
    texts.extend(paragraph.text for paragraph in document.paragraphs[:60])
    for table in document.tables[:1]:
        for row in list(table.rows)[:2]:
            texts.extend(dict.fromkeys(cell.text for cell in row.cells))
    return [text for text in texts if text and text.strip()]


def _ordinal(value):
    if not value:
        return None
    digits = re.match(r"\d+", value)
    if digits:
        return int(digits.group())
    return ORDINALS.get(value.strip().lower())


@dataclass
class Review:
    state: str = ""
    cycle: int | None = None
    session: int | None = None
    symbol: str = ""


def review_of(texts):
    """The State, cycle and session the document's headers and captions name."""
    review = Review()
    for text in texts:
        flat = " ".join(text.split())
        match = _REVIEW.search(flat)
        if match:
            review.state = clean_text(match.group("state")).strip(" ,;:–-")
            review.cycle = _ordinal(match.group("cycle"))
            review.session = _ordinal(match.group("session"))
            break
    for text in texts:
        if not review.state:
            match = _STATE_CAPTION.search(text)
            if match:
                review.state = clean_text(match.group("state")).strip(" ,;:–-")
        if review.cycle is None:
            match = _CYCLE.search(text)
            if match:
                review.cycle = _ordinal(match.group("cycle"))
        if review.session is None:
            match = _SESSION.search(text)
            if match:
                review.session = _ordinal(match.group("session") or match.group("n"))
        if not review.symbol:
            match = SYMBOL.search(text)
            if match:
                review.symbol = format_symbol(int(match.group(1)), int(match.group(2)))
    return review


def state_from_name(path):
    """ "Slovenia" from "UPR34_Slovenia_ThematicList.docx"."""
    words = [word for word in re.split(r"[\s_\-.]+", path.stem) if word]
    return " ".join(word for word in words if not _NAME_NOISE.match(word))


def session_from_name(path):
    match = _SESSION_IN_NAME.search(path.stem)
    return int(match.group(1)) if match else None


def _row_source(row):
    """(recommendation text, source of position) of a row, wherever the layout puts it."""
    text, source = split_cell(row.cell(TEXT))
    position_text, position_source = split_cell(row.cell(POSITION))
    return text, source or position_source or clean_text(row.cell(SOURCE)), position_text


def parse(path, *, state=None, options=None):
    options = options or {}
    document = _open(path)
    rows = list(_recommendation_rows(document))
    review = review_of(_document_texts(document))
    # The report's symbol is in every "Source of position"; the most frequent one is the report.
    symbols = Counter(report_symbol(_row_source(row)[1]) for row in rows)
    symbols.pop("", None)
    symbol = normalize_symbol(options.get("symbol") or "") or (
        symbols.most_common(1)[0][0] if symbols else review.symbol
    )
    if not symbol:
        raise FileFormatError(
            "the Working Group report's symbol is not in the file; give it as the symbol option"
        )
    state_name = review.state or clean_text(state) or state_from_name(path)
    session = review.session or session_from_name(path)
    cycle = review.cycle or upr_cycle(session)
    for row in rows:
        yield from _draft(row, symbol, state_name, session, cycle)


def _draft(row, symbol, state_name, session, cycle):
    text, source, position_text = _row_source(row)
    number, text = _number(text, row.cell(NUMBER))
    if not number:
        yield RowError(row.line, f"no recommendation number (like 122.12) in “{text[:60]}”")
        return
    warnings = []
    position, doubtful = position_of(position_text)
    if position is None:
        warnings.append(f"position “{clean_text(position_text)[:60]}” not read: left unknown")
        position = Position.UNKNOWN.value
    elif doubtful:
        warnings.append(f"position “{clean_text(position_text)[:60]}” read as {position}")
    wordings = split_wordings(text)
    listed = split_list(row.cell(STATES), separators=";,\n")
    if listed and not all_states(wordings):
        wordings = [{"text": join_wordings(wordings) or text, "states": listed}]
    if not wordings:
        yield RowError(row.line, f"recommendation {number} has no text")
        return
    tags = theme_tags(row.cell(THEMES))
    tags += theme_tags(row.cell(PERSONS), section="affected-persons")
    tags += theme_tags(row.cell(SDGS), section="sdg")
    draft = report_recommendation(
        symbol=symbol,
        number=number,
        wordings=wordings,
        raw_text=text,
        state=state_name,
        line=row.line,
        session=session,
        cycle=cycle,
        position=position,
        position_source=source,
        tags=list(dict.fromkeys(tags)),
        warnings=warnings,
    )
    # A source of its own beside the report's "doc:…" key, joined to it by number on import.
    draft.source_key = THEMATIC_LIST_KEY_PREFIX + draft.source_key.removeprefix("doc:")
    yield draft
