"""The addendum to a UPR Working Group report (A/HRC/15/16/Add.1): the State's responses.

It sets the position of the recommendations the report left "to be examined", by number. States
write their responses in many ways, and all of these are read:

- lists: "Belarus accepts recommendations 98.1, 98.3 and 98.5.", "Recommendations 98.16, 98.20
  are not accepted", ranges "98.1 – 98.5 Accepted", "98.21 to 98.24: noted";
- headings over lists: "Recommendations supported by Belarus:" then "98.1 Ratify …" lines;
- one paragraph per recommendation: "98.16 Declare a moratorium … (Brazil). Response: Not
  accepted. …";
- tables: a number column and a position column ("Supported", "Noted", "Partially accepted").

A number given two positions ("accepts the first part of 98.7 and does not accept the
second") is supported in part. The drafts update recommendations already imported from the
report (``updates_only``): importing the addendum first creates nothing, and says so.
"""

import re
from collections import defaultdict

from ..models import Position
from .documents import read_document, sniff_head
from .records import FileFormatError, RecordDraft, RowWarning
from .un_wg_report import document_symbol, is_addendum, reviewed_state, symbol_parts
from .values import clean_text, combine_positions, document_key, parse_position

# "98.16", and ranges "98.1 – 98.5", "98.1-5", "98.21 to 98.24".
_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3})\.(\d{1,3})(?!\.?\d)")
_RANGE = re.compile(
    r"(?<![\d.,/])(\d{1,3})\.(\d{1,3})\s*(?:-|–|—|to|through|until)\s*(?:(\d{1,3})\.)?(\d{1,3})"
    r"(?!\.?\d)"
)
# Phrases that state a position, most specific first.
_PHRASES = (
    (
        Position.SUPPORTED_IN_PART.value,
        r"(?:partially|partly)\s+(?:accepted|supported|accepts?|supports?)|"
        r"(?:accept|support)(?:s|ed)?\s+(?:in\s+part|partially|partly)",
    ),
    (
        Position.NOTED.value,
        r"(?:not|n't)\s+(?:be\s+)?(?:accepted|supported)|"
        r"(?:does|do|did|can|could|is|are)\s*(?:not|n't)\s+(?:accept|support|enjoy)|"
        r"cannot\s+(?:accept|support)|unable\s+to\s+(?:accept|support)|"
        r"\bnoted\b|\btakes?\s+note|\btook\s+note|\brejects?\b|\brejected\b|\bdeclines?\b|"
        r"not\s+(?:consider\s+it\s+)?possible|not\s+in\s+a\s+position\s+to|\bpremature\b|"
        r"(?:cannot|does\s+not|do\s+not)\s+agree|\bunacceptable\b|not\s+acceptable",
    ),
    (
        Position.SUPPORTED.value,
        r"\baccepted\b|\bsupported\b|\baccepts\b|\bsupports\b|enjoys?\s+(?:the\s+|its\s+)?support|"
        r"already\s+(?:been\s+)?implemented|(?:is|are)\s+being\s+implemented|"
        r"(?:has|have)\s+been\s+implemented|\bagrees?\s+(?:with|to)\b|\bacceptable\b",
    ),
)
_PHRASE = re.compile(
    "|".join(f"(?P<p{index}>{pattern})" for index, (_p, pattern) in enumerate(_PHRASES)),
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\W*(?:response|position|reply|answer|status|view)s?\s*[:\-–—]", re.I)
# Where one statement ends within a paragraph: a sentence end (also after a number: "… 98.5.
# Recommendations 98.16 …") or a semicolon.
_BOUNDARY = re.compile(r"(?<=[.])\s+(?=[A-Z(\"“])|;\s*")
# A line that starts a new item of a list, unless the line before leaves a list of numbers
# open ("… recommendations 98.1, 98.3 and" / "98.5.").
_ITEM_START = re.compile(r"^\s*(?:\d{1,3}\.\d|\d{1,3}\.\s|[-•–*]\s)")
_OPEN_END = re.compile(
    r"(?:,|\b(?:and|or|to|through|until|recommendations?|nos?\.?|numbers?|paragraphs?))\s*$",
    re.IGNORECASE,
)
# An item that starts with its number and quotes the recommendation: only a phrase after the
# recommending States (or in its last words) is the response, not "supported" in its text.
_ITEM_TEXT = 100
# A statement with a position and no number sets the position of the list under it when it
# ends with a colon or is as short as a heading ("Supported recommendations").
_HEADING = 60
_NOT_SUBSTANTIVE_PARAGRAPHS = 10  # "1.5 million", "2.3": no report numbers its conclusions so


def _expand(match):
    paragraph, first = int(match.group(1)), int(match.group(2))
    if match.group(3) and int(match.group(3)) != paragraph:
        return []
    last = int(match.group(4))
    if not first <= last <= first + 300:
        return []
    return [f"{paragraph}.{sub}" for sub in range(first, last + 1)]


def numbers_in(text):
    """The recommendation numbers a text names, ranges expanded, in order."""
    found, taken = [], []
    for match in _RANGE.finditer(text):
        numbers = _expand(match)
        if numbers:
            found.append((match.start(), numbers))
            taken.append((match.start(), match.end()))
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        if int(match.group(1)) < _NOT_SUBSTANTIVE_PARAGRAPHS:
            continue
        found.append((match.start(), [f"{int(match.group(1))}.{int(match.group(2))}"]))
    return [(start, number) for start, numbers in sorted(found) for number in numbers]


def phrases_in(text):
    """[(start, position)] of the position phrases of a text."""
    found = []
    for match in _PHRASE.finditer(text):
        index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
        found.append((match.start(), _PHRASES[index][0]))
    return found


class _Responses:
    """Positions by number, read statement by statement (see the module's docstring)."""

    def __init__(self):
        self.positions = defaultdict(list)
        self.lines = {}
        self.context = None  # the position a heading gave to the list under it
        self.waiting = []  # numbers named without a position yet
        self.tentative = []  # numbers given the heading's position, until a response follows
        self.last_numbers = []  # the numbers of the last statement that named any

    def _set(self, numbers, position, line):
        for number in numbers:
            self.positions[number].append(position)
            self.lines.setdefault(number, line)

    def _reset(self, numbers, position, line):
        for number in numbers:
            self.positions[number] = [position]
            self.lines.setdefault(number, line)

    def statement(self, text, line):
        numbers = numbers_in(text)
        phrases = phrases_in(text)
        if numbers and numbers[0][0] < 4 and (")" in text or len(text) > _ITEM_TEXT):
            tail = text.rfind(")") if ")" in text else len(text) - 40
            phrases = [(start, position) for start, position in phrases if start > tail]
        if numbers and phrases:
            self._both(numbers, phrases, text, line)
            self.last_numbers = [number for _s, number in numbers]
            self.waiting = self.tentative = []
        elif numbers:
            names = [number for _s, number in numbers]
            self.last_numbers = names
            if self.context:
                # Under a heading; a response right after the item still overrides it.
                self._set(names, self.context, line)
                self.tentative = names
            else:
                self.waiting += names
        elif phrases:
            self._phrases_only(text, _one(phrases), line)

    def _phrases_only(self, text, position, line):
        labelled = _LABEL.match(text)
        if not labelled and (text[:1].islower() or text.rstrip(" .;").endswith(")")):
            # The rest of a quoted recommendation ("…; implement the accepted
            # recommendations (Norway)"), not a response.
            return
        stripped = text.rstrip()
        heading = stripped.endswith(":") or (len(text) < _HEADING and not stripped.endswith("."))
        if labelled and self.last_numbers:
            # "Response: Not accepted" under the recommendation it answers.
            self._reset(self.last_numbers, position, line)
        elif self.waiting:
            self._set(self.waiting, position, line)
        elif self.tentative and not heading:
            # "98.6 Sign the Protocol (Spain). Utopia does not consider it possible …"
            self._reset(self.tentative, position, line)
        elif heading:
            self.context = position
        self.waiting = self.tentative = []

    def _both(self, numbers, phrases, text, line):
        if len({position for _s, position in phrases}) == 1:
            self._set([number for _s, number in numbers], phrases[0][1], line)
            if text.rstrip().endswith(":"):
                self.context = phrases[0][1]
            return
        # Several positions in one statement: "98.1 and 98.2 are accepted, 98.3 is not
        # accepted" (each number takes the next phrase), "Accepted: 98.1; noted: 98.3" (the
        # phrase before).
        phrase_first = phrases[0][0] < numbers[0][0]
        for start, number in numbers:
            if phrase_first:
                before = [position for at, position in phrases if at < start]
                position = before[-1] if before else phrases[0][1]
            else:
                after = [position for at, position in phrases if at > start]
                position = after[0] if after else phrases[-1][1]
            self._set([number], position, line)

    def row(self, cells, line):
        """A table row: its numbers and the cell that is a position word, if any."""
        numbers = [number for cell in cells for _s, number in numbers_in(cell)[:50]]
        if not numbers:
            return False
        positions = [parse_position(cell) for cell in cells if len(clean_text(cell)) < 40]
        positions = [position for position in positions if position and position != "unknown"]
        if not positions:
            phrases = [phrase for cell in cells for phrase in phrases_in(cell)]
            positions = [_one(phrases)] if phrases else []
        if not positions:
            return False
        self._set(numbers, positions[0], line)
        self.last_numbers = numbers
        return True


def _one(phrases):
    return combine_positions([position for _s, position in phrases])


def _paragraphs(lines, skip):
    """The paragraphs and list items of the lines outside tables: [(line, text)] of each, a
    pair per line it spans."""
    current = []
    for index, line in enumerate(lines, start=1):
        if index in skip or not line.strip():
            if current:
                yield current
            current = []
            continue
        open_end = current and _OPEN_END.search(current[-1][1])
        if current and _ITEM_START.match(line) and not open_end:
            yield current
            current = []
        current.append((index, line.strip()))
    if current:
        yield current


def _statements(lines, skip):
    """(line, text) of each statement: the sentences and clauses of every paragraph."""
    for parts in _paragraphs(lines, skip):
        text, starts = "", []
        for line, part in parts:
            starts.append((len(text), line))
            text += part + " "
        offset = 0
        for match in [*_BOUNDARY.finditer(text), None]:
            end = match.start() if match else len(text)
            cleaned = clean_text(text[offset:end])
            if cleaned:
                line = next(line for start, line in reversed(starts) if start <= offset)
                yield line, cleaned
            offset = match.end() if match else end


def _read(path, options=None):
    return read_document(path, options)


def responses(document):
    """Positions by number and the line where each number was answered."""
    reader = _Responses()
    table_lines = set()
    for rows in document.tables:
        for line, cells in rows:
            if reader.row(cells, line):
                table_lines.add(line)
    for line, text in _statements(document.lines, table_lines):
        reader.statement(text, line)
    return reader


def count(path, *, options=None):
    return len(responses(_read(path, options)).positions)


def sniff(probe):
    """An addendum: "Addendum" under the title, or an A/HRC/…/Add.N symbol, with the Working
    Group's title, in the first pages (``probe``: a core.intake.FileProbe)."""
    head = sniff_head(probe)
    if not head:
        return False
    flat = " ".join(head.split())
    parts = symbol_parts(flat[:3000])
    addendum = bool(re.search(r"\bAddendum\b", flat[:3000], re.IGNORECASE)) or bool(
        parts and parts[2]
    )
    return addendum and bool(
        re.search(r"Universal\s*Periodic\s*Review|Working\s+Group", flat, re.IGNORECASE)
    )


def parse(path, *, state=None, options=None):
    options = options or {}
    document = _read(path, options)
    symbol = document_symbol(document, path, options)
    parts = symbol_parts(symbol)
    if not parts:
        raise FileFormatError(
            "the symbol of the report this addendum answers (like A/HRC/15/16/Add.1) is neither "
            "in its first page nor in the file name; give it as the symbol option"
        )
    report_symbol = f"A/HRC/{parts[0]}/{parts[1]}"
    addendum_symbol = f"{report_symbol}/Add.{parts[2] or 1}"
    if not is_addendum(document, symbol) and not options.get("symbol"):
        yield RowWarning(None, "the document does not call itself an addendum")
    state_name = reviewed_state(document, state)
    reader = responses(document)
    if not reader.positions:
        raise FileFormatError(
            "no response to a numbered recommendation (like “98.16 – accepted”) found: "
            "is this the addendum of a UPR Working Group report?"
        )
    for number in reader.waiting:
        if number not in reader.positions:
            yield RowWarning(
                reader.lines.get(number), f"recommendation {number} is named without a position"
            )
    for number, positions in sorted(reader.positions.items(), key=lambda item: _order(item[0])):
        position = combine_positions(positions) or Position.UNKNOWN.value
        yield RecordDraft(
            source_key=document_key(report_symbol, number),
            line=reader.lines.get(number),
            text="",
            state=state_name,
            mechanism="UPR",
            number=number,
            position=position,
            position_source=addendum_symbol,
            updates_only=True,
        )


def _order(number):
    paragraph, sub = number.split(".")
    return int(paragraph), int(sub)
