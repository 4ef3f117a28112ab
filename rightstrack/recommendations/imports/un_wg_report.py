"""The text of a UPR Working Group report (e.g. A/HRC/15/16, Belarus, 2010).

The recommendations are the numbered sub-paragraphs of the conclusions: "98.16. Declare a
moratorium … (Brazil); introduce … (Lithuania); …". The paragraph that introduces them gives the
position: "… enjoy the support of Belarus" (supported), "… will be examined by Belarus"
(pending), "… did not enjoy the support" or "… noted" (noted). Text extracted from PDFs comes in
old single-byte encodings with CR line ends, page furniture and broken characters
("non.governmental"); all of that is repaired here.
"""

import re
from dataclasses import dataclass

from ..models import Position
from .ohchr_docx import WORKING_GROUP_REPORT_TITLE
from .records import FileFormatError, RecordDraft, RowError
from .values import (
    clean_text,
    document_key,
    normalize_newlines,
    normalize_symbol,
    ordinal_number,
    parse_date,
    text_file,
    upr_cycle,
)
from .wordings import all_states, join_wordings, split_wordings

_RECOMMENDATION = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\.?(?:\s+|$)")
_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$)")
_SECTION_END = re.compile(r"^\s*(Annex\b|Notes?\b|[IVX]+\.\s)")
# Page headers and footers that PDF extraction leaves between the lines of a paragraph.
_PAGE_FURNITURE = re.compile(r"^\s*(\d{1,3}|GE\.\d{2}-\d+.*|A/HRC/\S+|\W*)\s*$")
_SYMBOL = re.compile(r"\bA/HRC/\d{1,2}/\d{1,3}(?:/Add\.\d+)?\b")
_SYMBOL_IN_NAME = re.compile(r"A[-_]HRC[-_](\d{1,2})[-_](\d{1,3})", re.IGNORECASE)
_BROKEN_HYPHEN = re.compile(r"\b(non|non-)\.(?=[a-z])")
_STATE_REVIEWED = re.compile(r"\breview of (?:the )?([A-Z][^.,;]{1,80}?) was held\b")
_SESSION = re.compile(r"\bheld its ([a-z]+(?:[- ][a-z]+)?) session\b", re.IGNORECASE)
_SESSION_IN_SYMBOL = re.compile(r"A/HRC/WG\.6/(\d{1,2})/")
_DATE = re.compile(r"\b(\d{1,2} [A-Z][a-z]+ \d{4})\b")


@dataclass
class _Block:
    paragraph: int
    number: str
    line: int
    lines: list


def sniff(probe):
    """Text whose first page names the Working Group on the Universal Periodic Review."""
    text = " ".join((probe.text or "").split())
    return "Universal Periodic Review" in text and "Working Group" in text


def _text(path, options=None):
    with text_file(path, options) as stream:
        text = normalize_newlines(stream.read())
    return _BROKEN_HYPHEN.sub("non-", text.replace("\t", " ").replace("\u00a0", " "))


def _symbol(text, path, options):
    if options.get("symbol"):
        return normalize_symbol(options["symbol"])
    # The report's own symbol heads its first page; later ones are other documents cited.
    match = _SYMBOL.search(text[:2000])
    if match:
        return normalize_symbol(match.group())
    match = _SYMBOL_IN_NAME.search(path.name)
    if match:
        return f"A/HRC/{match.group(1)}/{match.group(2)}"
    raise FileFormatError(
        "the report's symbol (like A/HRC/15/16) is neither in its first page nor in the file "
        "name; give it as the symbol option"
    )


def _state(text, state):
    if state:
        return clean_text(state)
    match = _STATE_REVIEWED.search(text)
    return clean_text(match.group(1)) if match else ""


def _session(text):
    match = _SESSION.search(text)
    if match:
        number = ordinal_number(match.group(1))
        if number:
            return number
    match = _SESSION_IN_SYMBOL.search(text)
    return int(match.group(1)) if match else None


def _date(text):
    match = _DATE.search(text[:500])
    if not match:
        return None
    try:
        return parse_date(match.group(1))
    except ValueError:
        return None


def position_of_introduction(text):
    """The position an introductory paragraph gives to the recommendations under it."""
    lowered = clean_text(text).lower()
    if re.search(r"did not (enjoy|receive|obtain)|not supported|not accepted|rejected", lowered):
        return Position.NOTED.value
    if re.search(r"\bnoted\b|take note|took note", lowered):
        return Position.NOTED.value
    if re.search(r"will be examined|will examine|to be examined|provide responses", lowered):
        return Position.PENDING.value
    if re.search(r"enjoys? (the |its )?support|enjoyed (the |its )?support|accepted", lowered):
        return Position.SUPPORTED.value
    return None


def _blocks(lines):
    """Numbered recommendations and the introductions of their paragraphs, in order.

    A line like "98.16." starts a recommendation only under paragraph 98, so numbers that merely
    start a line of running text ("2.5 million …") are not taken for one.
    """
    blocks, introductions = [], {}
    current = introduction = None
    paragraph_number = None
    for index, raw_line in enumerate(lines, start=1):
        line = raw_line.strip()
        recommendation = _RECOMMENDATION.match(line)
        if recommendation and int(recommendation.group(1)) != paragraph_number:
            recommendation = None
        paragraph = None if recommendation else _PARAGRAPH.match(line)
        if recommendation:
            current = _Block(
                paragraph_number,
                f"{recommendation.group(1)}.{recommendation.group(2)}",
                index,
                [line[recommendation.end() :]],
            )
            blocks.append(current)
            introduction = None
        elif paragraph:
            current = None
            paragraph_number = int(paragraph.group(1))
            introduction = introductions[paragraph_number] = [line[paragraph.end() :]]
        elif _SECTION_END.match(line):
            current = introduction = None
        elif current is not None and not _PAGE_FURNITURE.match(line):
            current.lines.append(line)
        elif introduction is not None and line:
            introduction.append(line)
    return blocks, {number: " ".join(parts) for number, parts in introductions.items()}


def _positions(blocks, introductions):
    """Position by paragraph: from its introduction, else by order (supported, pending, noted)."""
    paragraphs = list(dict.fromkeys(block.paragraph for block in blocks))
    by_order = [Position.SUPPORTED.value, Position.PENDING.value, Position.NOTED.value]
    positions = {}
    for order, paragraph in enumerate(paragraphs):
        stated = position_of_introduction(introductions.get(paragraph, ""))
        fallback = by_order[order] if order < len(by_order) else Position.UNKNOWN.value
        positions[paragraph] = stated or fallback
    return positions


def _parsed(path, state, options):
    text = _text(path, options)
    blocks, introductions = _blocks(text.split("\n"))
    if not blocks:
        raise FileFormatError(
            "no numbered recommendations (like 98.16.) found: "
            "is this the text of a UPR Working Group report?"
        )
    return text, blocks, introductions


def count(path, *, options=None):
    return len(_parsed(path, None, options or {})[1])


def parse(path, *, state=None, options=None):
    options = options or {}
    text, blocks, introductions = _parsed(path, state, options)
    symbol = _symbol(text, path, options)
    state_name = _state(text, state)
    session = _session(text)
    date = _date(text)
    positions = _positions(blocks, introductions)
    title = WORKING_GROUP_REPORT_TITLE.format(state=state_name) if state_name else ""
    seen = set()
    for block in blocks:
        if block.number in seen:
            yield RowError(block.line, f"recommendation {block.number} appears twice")
            continue
        seen.add(block.number)
        wordings = split_wordings(" ".join(block.lines))
        if not wordings:
            yield RowError(block.line, f"recommendation {block.number} has no text")
            continue
        yield RecordDraft(
            source_key=document_key(symbol, block.number),
            line=block.line,
            text=join_wordings(wordings),
            state=state_name,
            mechanism="UPR",
            document_symbol=symbol,
            document_kind="upr-wg-report",
            document_title=title,
            document_date=date,
            number=block.number,
            date=date,
            session=session,
            cycle=upr_cycle(session),
            wordings=wordings,
            recommending_states=all_states(wordings),
            position=positions[block.paragraph],
            position_source=f"{symbol}, para. {block.paragraph}",
        )
