"""The neutral document model every report is built as, and both writers render.

A document is a cover (title, subtitle, facts, generation date, data scope, notices) followed by
blocks: headings, paragraphs, bullet lists, key/value lists, tables and bar charts (the charts
of pages, core.charts.BarChart, drawn as pictures by core.chart_png). Text is plain
(no markup); a piece of text that is a link is a ``Link``. Wherever text goes, an *inline* may be
given: a string, a ``Link``, or a list of them, each item on a line of its own.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def lines_of(inline):
    """An inline as a list of lines, each a string or a Link; empty strings dropped."""
    if inline is None:
        return []
    items = [inline] if isinstance(inline, (str, Link)) else list(inline)
    result = []
    for item in items:
        if isinstance(item, Link):
            result.append(item)
        elif item is not None and str(item) != "":
            result.append(str(item))
    return result


def plain_text(inline):
    """An inline as plain text: lines joined by newlines, a link as its text and address."""
    parts = []
    for line in lines_of(inline):
        if isinstance(line, Link):
            parts.append(line.text if line.text == line.url else f"{line.text}: {line.url}")
        else:
            parts.append(line)
    return "\n".join(parts)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 to 3; the document's title is above level 1


@dataclass(frozen=True)
class Paragraph:
    content: object  # an inline
    style: str = "body"  # "body", "note" (a boxed notice) or "muted" (small print)


@dataclass(frozen=True)
class BulletList:
    items: list


@dataclass(frozen=True)
class KeyValues:
    """Facts as label / value pairs (the value an inline)."""

    rows: list


@dataclass(frozen=True)
class Column:
    heading: str
    width: float = 1.0  # relative to the other columns
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class Table:
    columns: list
    rows: list  # each a list of inlines, one per column
    caption: str = ""
    empty_text: str = ""  # shown instead of the table when there is no row


def chart_data_table(chart):
    """A chart's (core.charts.BarChart) data, as the table printed under its picture."""
    return Table(
        columns=[
            Column(str(chart.label_heading), 3.0),
            Column(str(chart.value_heading), 1.0, True),
            *(Column(str(heading), 1.0) for heading in chart.extra_headings),
        ],
        rows=[[bar.label, bar.value_text, *bar.extra] for bar in chart.bars],
    )


@dataclass(frozen=True)
class PageBreak:
    pass


class BlockWriter:
    """What both writers share: the order of the work and which method renders which block.
    A writer defines ``cover``, ``start_body``, ``finish`` (returns the file's bytes) and one
    method per block kind."""

    METHODS = {
        "Heading": "heading",
        "Paragraph": "text",
        "BulletList": "bullets",
        "KeyValues": "key_values",
        "Table": "table",
        "BarChart": "chart",  # core.charts.BarChart
        "PageBreak": "page_break",
    }

    def __init__(self, document):
        self.document = document

    def render(self):
        self.cover()
        self.start_body()
        for block in self.document.blocks:
            method = self.METHODS.get(type(block).__name__)
            if method is None:  # pragma: no cover - a builder bug
                raise TypeError(f"unknown block {block!r}")
            getattr(self, method)(block)
        return self.finish()


@dataclass
class Document:
    title: str
    subtitle: str
    generated_on: date
    generated_label: str  # "Generated on 3 May 2025", already translated
    scope: str  # "Published data only", already translated
    facts: list = field(default_factory=list)  # the cover's (label, inline) pairs
    notices: list = field(default_factory=list)  # inlines shown boxed on the cover
    blocks: list = field(default_factory=list)
    landscape: bool = False
    language: str = "en"
    page_label: str = "Page %(page)s of %(pages)s"  # translated by the builder

    def add(self, *blocks):
        self.blocks.extend(blocks)
        return self
