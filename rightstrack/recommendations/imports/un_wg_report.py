"""A UPR Working Group report (e.g. A/HRC/15/16, Belarus, 2010) as PDF, Word or text.

The recommendations are the numbered sub-paragraphs of the conclusions: "98.16. Declare a
moratorium … (Brazil); introduce … (Lithuania); …". The paragraph that introduces them gives the
position, in the words of every cycle: "… enjoy the support of Belarus" / "… are supported by"
(supported), "… will be examined by Belarus" (pending), "… did not enjoy the support", "… will
be noted" or "… noted" (noted). The earliest reports number them "1.", "2." under their
paragraph; they become "60.1", "60.2". Text extracted from PDFs comes with page furniture, line
wraps and broken characters ("non.governmental"); all of that is repaired here (see
documents.py for the reading of PDF and Word files).

The State, the session, the date and the symbol are read from the document: its title ("Report
of the Working Group on the Universal Periodic Review* Belarus"), "held its eighth session",
"Distr.: General 21 June 2010" and the symbol heading the first page; the file name and the
options only when the document does not say. An addendum (A/HRC/15/16/Add.1, the State's
responses) is recognised and read as one (see un_wg_addendum.py).
"""

import re
from dataclasses import dataclass

from ..models import Position
from .documents import join_lines, read_document, sniff_head
from .records import FileFormatError, RecordDraft, RowError
from .values import (
    clean_text,
    document_key,
    normalize_symbol,
    ordinal_number,
    parse_date,
    upr_cycle,
)
from .wordings import all_states, join_wordings, split_wordings

WORKING_GROUP_REPORT_TITLE = "Report of the Working Group on the Universal Periodic Review: {state}"

_RECOMMENDATION = re.compile(r"^\s*(\d{1,3})\s?\.\s?(\d{1,3})\.?(?:\s+|$)")
_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$)")
_SECTION_END = re.compile(r"^\s*(Annex\b|Notes?\b|[IVX]+\.\s)")
# Page headers and footers that text extraction leaves between the lines of a paragraph.
_PAGE_FURNITURE = re.compile(r"^\s*(\d{1,3}|GE\.\d{2}-\d+.*|A/HRC/\S+|\W*)\s*$")
SYMBOL = re.compile(r"\bA\s?/\s?HRC\s?/\s?(\d{1,2})\s?/\s?(\d{1,3})(?:\s?/\s?Add\s?\.\s?(\d+))?\b")
_SYMBOL_IN_NAME = re.compile(
    r"A[-_ ]?HRC[-_ ](\d{1,2})[-_ ](\d{1,3})(?:[-_ .]*Add[-_ .]*(\d+))?", re.IGNORECASE
)
_BROKEN_HYPHEN = re.compile(r"\b(non|non-)\.(?=[a-z])")
# "Report of the Working Group on the Universal Periodic Review* \n\n Belarus"
_TITLE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s*Universal\s*Periodic\s*Review"
    r"[\s*\d†]*?(?:\n|\*\s*|\s{2,})\s*(?P<state>[A-Z][^\n*]{1,120})",
)
_STATE_REVIEWED = re.compile(r"\breview of (?:the )?([A-Z][^.,;]{1,80}?) was held\b")
_SESSION = re.compile(r"\bheld its ([a-z]+(?:-\s*[a-z]+|\s[a-z]+)?) session\b", re.IGNORECASE)
_SESSION_IN_SYMBOL = re.compile(r"A/HRC/WG\.6/(\d{1,2})/")
_DATE = re.compile(r"\b(\d{1,2} [A-Z][a-z]+ \d{4})\b")
_ADDENDUM = re.compile(r"^\s*Addendum\s*$", re.IGNORECASE | re.MULTILINE)
_REPORT_MARKS = (
    re.compile(r"Working\s+Group\s+on\s+the\s*Universal\s*Periodic\s*Review", re.IGNORECASE),
    re.compile(r"Conclusions\s+and/or\s+recommendations", re.IGNORECASE),
)


@dataclass
class _Block:
    paragraph: int
    number: str
    line: int
    lines: list


def report_recommendation(*, symbol, number, wordings, raw_text, state, **fields):
    """The draft of recommendation ``number`` of the Working Group report ``symbol``, whatever
    document gives it (the report itself, an OHCHR thematic list)."""
    return RecordDraft(
        source_key=document_key(symbol, number),
        text=join_wordings(wordings),
        raw_text=raw_text,
        state=state,
        mechanism="UPR",
        document_symbol=symbol,
        document_kind="upr-wg-report",
        document_title=WORKING_GROUP_REPORT_TITLE.format(state=state) if state else "",
        number=number,
        wordings=wordings,
        recommending_states=all_states(wordings),
        **fields,
    )


def symbol_parts(text):
    """(council session, number, addendum number or None) of the first symbol in text."""
    match = SYMBOL.search(text)
    if not match:
        return None
    session, number, addendum = match.groups()
    return int(session), int(number), int(addendum) if addendum else None


def format_symbol(session, number, addendum=None):
    symbol = f"A/HRC/{session}/{number}"
    return f"{symbol}/Add.{addendum}" if addendum else symbol


def document_symbol(document, path, options):
    """The symbol the document gives itself, else the one in its file name, else the option's.

    The option comes first when given: it is how a user corrects the document.
    """
    if options.get("symbol"):
        return normalize_symbol(options["symbol"])
    for text in (document.head, "\n".join(document.lines[:80])):
        parts = symbol_parts(text)
        if parts:
            return format_symbol(*parts)
    match = _SYMBOL_IN_NAME.search(path.name)
    if match:
        return format_symbol(
            int(match.group(1)), int(match.group(2)), int(match.group(3) or 0) or None
        )
    return ""


def reviewed_state(document, state):
    """The State the report is of: its title, else "the review of X was held", else ``state``."""
    for text in (document.head, "\n".join(document.lines[:120])):
        match = _TITLE.search(text)
        if match:
            name = clean_text(match.group("state")).strip(" .,:;")
            if name and not name.lower().startswith(("addendum", "distr", "*")):
                return name
    match = _STATE_REVIEWED.search("\n".join(document.lines[:400]))
    if match:
        return clean_text(match.group(1))
    return clean_text(state)


def review_session(document):
    # One line: "held its thirty-" and "fourth session" may stand on two.
    text = " ".join(document.lines[:400])
    match = _SESSION.search(text)
    if match:
        number = ordinal_number(match.group(1))
        if number:
            return number
    match = _SESSION_IN_SYMBOL.search(document.head + text)
    return int(match.group(1)) if match else None


def document_date(document):
    match = _DATE.search(document.head[:1500])
    if not match:
        return None
    try:
        return parse_date(match.group(1))
    except ValueError:
        return None


def is_addendum(document, symbol=""):
    return "/ADD." in symbol.upper() or bool(_ADDENDUM.search(document.head))


def position_of_introduction(text):
    """The position an introductory paragraph gives to the recommendations under it.

    Support is read before examination: "will be examined by X and are supported by X" is
    supported; "will be examined by X, which will provide responses" is pending.
    """
    lowered = clean_text(text).lower()
    if re.search(
        r"did not (enjoy|receive|obtain)|not (be )?supported|not (be )?accepted|rejected|"
        r"\bnoted\b|take note|took note|takes note",
        lowered,
    ):
        return Position.NOTED.value
    if re.search(
        r"enjoys? (the |its )?support|enjoyed (the |its )?support|\bsupported\b|\baccepted\b|"
        r"\bsupports\b|\baccepts\b",
        lowered,
    ):
        return Position.SUPPORTED.value
    if re.search(
        r"will be examined|will examine|to be examined|provide (its )?responses|"
        r"will be considered|further consideration",
        lowered,
    ):
        return Position.PENDING.value
    return None


def _introduces_recommendations(text):
    lowered = text.lower()
    return "recommendation" in lowered and position_of_introduction(text) is not None


class _Reader:
    """Numbered recommendations and the introductions of their paragraphs, line by line.

    A line like "98.16." starts a recommendation only under paragraph 98 and after 98.15, so
    numbers that merely start a line of running text ("2.5 million …", "see 97.3") are not
    taken for one; paragraph numbers only grow.
    """

    def __init__(self):
        self.blocks, self.introductions = [], {}
        self.current = self.introduction = None
        self.paragraph = None
        self.last = 0  # the last recommendation number under the paragraph
        self.plain_items = False  # "1.", "2." under the paragraph (the earliest reports)

    def _start_recommendation(self, number, index, rest):
        self.current = _Block(self.paragraph, f"{self.paragraph}.{number}", index, [rest])
        self.blocks.append(self.current)
        self.introduction = None
        self.last = number

    def _is_new_paragraph(self, number):
        if self.paragraph is None:
            return True
        if self.current is not None:
            # Inside a recommendation only the next paragraphs end it, not a number that a
            # line wrap put at the start of a line.
            return self.paragraph < number <= self.paragraph + 3
        return number > self.paragraph

    def feed(self, index, line):
        recommendation = _RECOMMENDATION.match(line)
        if (
            recommendation
            and int(recommendation.group(1)) == self.paragraph
            and int(recommendation.group(2)) > self.last
        ):
            self._start_recommendation(
                int(recommendation.group(2)), index, line[recommendation.end() :]
            )
            return
        paragraph = _PARAGRAPH.match(line)
        if paragraph:
            number = int(paragraph.group(1))
            rest = line[paragraph.end() :]
            if self._is_plain_item(number, rest):
                self.plain_items = True
                self._start_recommendation(number, index, rest)
                return
            if self._is_new_paragraph(number):
                self.current = None
                self.paragraph, self.last, self.plain_items = number, 0, False
                self.introduction = self.introductions[number] = [rest]
                return
        if _SECTION_END.match(line):
            self.current = self.introduction = None
        elif self.current is not None and not _PAGE_FURNITURE.match(line):
            self.current.lines.append(line)
        elif self.introduction is not None and line:
            self.introduction.append(line)

    def _is_plain_item(self, number, rest):
        """ "1." under a paragraph that introduces recommendations, and the items after it."""
        if self.paragraph is None or number != self.last + 1:
            return False
        if number == 1:
            return _introduces_recommendations(" ".join(self.introduction or []))
        if not self.plain_items:
            return False
        # "61." after "60. … 1. … 60." is the next paragraph when it introduces more.
        return not (number == self.paragraph + 1 and _introduces_recommendations(rest))


def _blocks(lines, words):
    reader = _Reader()
    for index, raw_line in enumerate(lines, start=1):
        reader.feed(index, raw_line.strip())
    introductions = {
        number: join_lines(parts, words) for number, parts in reader.introductions.items()
    }
    return reader.blocks, introductions


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


def _read(path, options=None):
    document = read_document(path, options)
    document.lines = [_BROKEN_HYPHEN.sub("non-", line) for line in document.lines]
    return document


def _parsed(path, options):
    document = _read(path, options)
    blocks, introductions = _blocks(document.lines, document.words)
    return document, blocks, introductions


def count(path, *, options=None):
    document = _read(path, options)
    if is_addendum(document):
        from . import un_wg_addendum

        return un_wg_addendum.count(path, options=options)
    return len(_blocks(document.lines, document.words)[0])


def sniff(probe):
    """A Working Group report (not its addendum): its title or its conclusions, and numbered
    recommendations, in the first pages (``probe``: a core.intake.FileProbe)."""
    head = sniff_head(probe)
    if not head or _ADDENDUM.search(head[:3000]):
        return False
    marked = any(mark.search(head) for mark in _REPORT_MARKS)
    numbered = sum(1 for line in head.split("\n") if _RECOMMENDATION.match(line))
    return marked and (numbered >= 2 or "Universal Periodic Review" in " ".join(head.split()))


def parse(path, *, state=None, options=None):
    options = options or {}
    document, blocks, introductions = _parsed(path, options)
    symbol = document_symbol(document, path, options)
    if is_addendum(document, symbol):
        from . import un_wg_addendum

        yield from un_wg_addendum.parse(path, state=state, options=options)
        return
    if not blocks:
        raise FileFormatError(
            "no numbered recommendations (like 98.16.) found: is this a UPR Working Group report?"
        )
    if not symbol:
        raise FileFormatError(
            "the report's symbol (like A/HRC/15/16) is neither in its first page nor in the file "
            "name; give it as the symbol option"
        )
    state_name = reviewed_state(document, state)
    session = review_session(document)
    date = document_date(document)
    positions = _positions(blocks, introductions)
    seen = set()
    for block in blocks:
        if block.number in seen:
            yield RowError(block.line, f"recommendation {block.number} appears twice")
            continue
        seen.add(block.number)
        raw_text = join_lines(block.lines, document.words)
        wordings = split_wordings(raw_text)
        if not wordings:
            yield RowError(block.line, f"recommendation {block.number} has no text")
            continue
        yield report_recommendation(
            symbol=symbol,
            number=block.number,
            wordings=wordings,
            raw_text=raw_text,
            state=state_name,
            line=block.line,
            document_date=date,
            date=date,
            session=session,
            cycle=upr_cycle(session),
            position=positions[block.paragraph],
            position_source=f"{symbol}, para. {block.paragraph}",
        )
