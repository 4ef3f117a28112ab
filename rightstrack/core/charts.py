"""Horizontal bar charts: one model, drawn as SVG on pages and as PNG in documents.

A chart is always given with its data as a table (the same rows, in full), so it reads without
sight and without the picture. Pages draw it with ``components/bar_chart.html`` from the
geometry worked out here (no script, no web font, nothing fetched); documents with
``core.chart_png``. Labels are wrapped at spaces over up to three lines rather than cut.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .text_layout import text_width, wrap

Number = int | float | Decimal

# The SVG's own units: at its default width one unit is one CSS pixel.
WIDTH = 560
FONT_SIZE = 13
LINE_HEIGHT = 16
MAX_LABEL_LINES = 3
LABEL_SHARE = 0.4  # of the width, for the labels
GAP = 8
TOP = 6
ROW_HEIGHT = 28  # at least; a row is taller when its label takes several lines
BAR_HEIGHT = 18
# From a row's middle to the baseline of text centred on it.
BASELINE_SHIFT = round(FONT_SIZE * 0.35, 1)

EMPTY_TEXT = gettext_lazy("Nothing to show yet.")


def value_text(value: Number) -> str:
    """A value as a chart and its table print it: localised, digits grouped, amounts (Decimal)
    without decimals."""
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart and the row of its data table."""

    label: str
    value: Number | None  # None: not known, so no bar is drawn (never a made-up zero)
    value_text: str
    href: str = ""  # what the row counts, linked from its label in the data table
    extra: tuple[str, ...] = ()  # further cells of the table's row, under extra_headings

    @property
    def is_known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: float


@dataclass(frozen=True)
class SvgRow:
    bar: Bar
    label_lines: list[LabelLine]
    label_shortened: bool
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class SvgLayout:
    """Where everything of a chart goes in its SVG, in the SVG's own units."""

    width: int
    height: float
    font_size: int
    label_x: float  # labels end here (right-aligned)
    bar_x: float  # bars start here
    plot_width: float  # the longest bar's width
    bar_height: int
    rows: list[SvgRow]


@dataclass(frozen=True, kw_only=True)
class BarChart:
    """A horizontal bar chart, its bars in the order given."""

    id: str  # unique on the page: the SVG's title and description are named after it
    title: str | Promise
    description: str | Promise = ""
    label_heading: str | Promise
    value_heading: str | Promise
    bars: tuple[Bar, ...] = ()
    extra_headings: tuple[str | Promise, ...] = ()  # of the data table's further columns
    empty_text: str | Promise = EMPTY_TEXT  # said instead of the chart when it has no bar
    footnote: str | Promise = ""  # said under the chart, e.g. what it leaves out

    def __post_init__(self) -> None:
        object.__setattr__(self, "bars", tuple(self.bars))

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def largest(self) -> float:
        """The longest bar's value (1 when there is nothing to draw, never a division by 0)."""
        return max((float(bar.value) for bar in self.bars if bar.value), default=0.0) or 1.0

    @cached_property
    def svg(self) -> SvgLayout:
        return svg_layout(self)


def bar_chart(
    *,
    rows: Iterable[Sequence],
    **chart,
) -> BarChart:
    """A chart of ``rows`` — (label, value) or (label, value, link) — in the order given, each
    value printed with ``value_text``; ``chart``: the other BarChart fields."""
    bars = []
    for row in rows:
        label, value = row[0], row[1]
        href = row[2] if len(row) > 2 else ""
        bars.append(Bar(label=str(label), value=value, value_text=value_text(value), href=href))
    return BarChart(bars=tuple(bars), **chart)


def bar_length(bar: Bar, *, largest: float, room: float) -> float:
    """How long a bar is drawn in ``room`` (the longest one fills it; an unknown, zero or
    negative value draws none)."""
    if not bar.value or bar.value < 0:
        return 0.0
    return min(float(bar.value) / largest, 1.0) * room


def svg_layout(chart: BarChart, *, width: int = WIDTH) -> SvgLayout:
    label_x = round(width * LABEL_SHARE)
    bar_x = label_x + GAP
    value_width = max((text_width(bar.value_text, FONT_SIZE) for bar in chart.bars), default=0)
    # A long value text (an amount) must not leave the bars no room at all.
    plot_width = max(width - bar_x - GAP - value_width, width / 4)
    largest = chart.largest
    rows = []
    top = float(TOP)
    for bar in chart.bars:
        lines, shortened = wrap(
            bar.label, width=label_x - GAP, size=FONT_SIZE, max_lines=MAX_LABEL_LINES
        )
        height = max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + 10)
        middle = top + height / 2
        first_baseline = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + BASELINE_SHIFT
        length = round(bar_length(bar, largest=largest, room=plot_width), 1)
        rows.append(
            SvgRow(
                bar=bar,
                label_lines=[
                    LabelLine(text=line, y=round(first_baseline + index * LINE_HEIGHT, 1))
                    for index, line in enumerate(lines)
                ],
                label_shortened=shortened,
                bar_y=round(middle - BAR_HEIGHT / 2, 1),
                bar_width=length,
                value_x=round(bar_x + length + GAP - 2, 1),
                value_y=round(middle + BASELINE_SHIFT, 1),
            )
        )
        top += height
    return SvgLayout(
        width=width,
        height=round(top + TOP, 1),
        font_size=FONT_SIZE,
        label_x=label_x,
        bar_x=bar_x,
        plot_width=round(plot_width, 1),
        bar_height=BAR_HEIGHT,
        rows=rows,
    )
