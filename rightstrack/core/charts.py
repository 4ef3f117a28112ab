"""Horizontal bar charts: one model, drawn as SVG on pages and as PNG in documents.

A chart is always given with its data as a table (the same rows, in full), so it reads without
sight and without the picture. Where everything goes is worked out here once (``layout``), for
a page's SVG or a document's picture, each with its own ``Geometry``: pages draw it with
``components/bar_chart.html`` (no script, no web font, nothing fetched), documents with
``core.chart_png``. Labels are wrapped at spaces over up to three lines rather than cut.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .text_layout import text_width, wrap

Number = int | float | Decimal


@dataclass(frozen=True)
class Geometry:
    """The sizes a chart is laid out with, in the units of the picture."""

    width: int
    font_size: int
    line_height: int
    row_height: int  # at least; a row is taller when its label takes several lines
    row_padding: int  # above and below a label's lines, together
    bar_height: int
    gap: int
    margin: int  # above the first row and under the last
    label_share: float = 0.4  # of the width, for the labels
    max_label_lines: int = 3
    # Each label over its bar, across the whole width, instead of beside it (narrow screens).
    stacked: bool = False

    @property
    def baseline_shift(self) -> float:
        """From a row's middle to the baseline of text centred on it."""
        return self.font_size * 0.35


# A page's SVG, in its own units: at this width (never exceeded, see the CSS) one unit is one
# CSS pixel, so labels are 13px.
SVG = Geometry(
    width=560,
    font_size=13,
    line_height=16,
    row_height=28,
    row_padding=10,
    bar_height=18,
    gap=8,
    margin=6,
)

# The same chart for a narrow screen (a phone): drawn 320 units wide and never shown wider (see
# the CSS), each label above its bar across the whole width, so labels stay 12px or more on a
# screen 300px wide and long ones wrap over the width instead of into a narrow column.
STACKED_SVG = Geometry(
    width=320,
    font_size=13,
    line_height=16,
    row_height=28,
    row_padding=8,
    bar_height=14,
    gap=6,
    margin=4,
    label_share=0.0,
    max_label_lines=4,
    stacked=True,
)

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

    def __post_init__(self) -> None:
        # Kept as a tuple: a chart is compared and hashed by value (its drawing is kept by it).
        object.__setattr__(self, "extra", tuple(self.extra))

    @property
    def is_known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: float


@dataclass(frozen=True)
class Row:
    bar: Bar
    label_lines: list[LabelLine]
    label_shortened: bool
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Layout:
    """Where everything of a chart goes, in the units of its geometry."""

    width: int
    height: float
    font_size: int
    stacked: bool  # labels above their bars, left-aligned at label_x
    label_x: float  # labels end here (right-aligned), or start here when stacked
    bar_x: float  # bars start here
    plot_width: float  # the longest bar's width
    bar_height: int
    rows: list[Row]


@dataclass(frozen=True, kw_only=True)
class BarChart:
    """A horizontal bar chart, its bars in the order given."""

    id: str  # unique on the page: the SVG's title and description are named after it
    title: str | Promise
    description: str | Promise = ""
    label_heading: str | Promise
    value_heading: str | Promise
    bars: Sequence[Bar] = ()  # kept as a tuple
    extra_headings: tuple[str | Promise, ...] = ()  # of the data table's further columns
    empty_text: str | Promise = EMPTY_TEXT  # said instead of the chart when it has no bar
    footnote: str | Promise = ""  # said under the chart, e.g. what it leaves out

    def __post_init__(self) -> None:
        # Tuples, so that a chart is compared and hashed by value (core.chart_svg keeps its
        # drawings by it).
        object.__setattr__(self, "bars", tuple(self.bars))
        object.__setattr__(self, "extra_headings", tuple(self.extra_headings))

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def largest(self) -> float:
        """The longest bar's value (1 when there is nothing to draw, never a division by 0)."""
        return max((float(bar.value) for bar in self.bars if bar.value), default=0.0) or 1.0

    @cached_property
    def svg(self) -> Layout:
        return layout(self, SVG)

    @cached_property
    def stacked_svg(self) -> Layout:
        return layout(self, STACKED_SVG)


def bar_chart(*, rows: Iterable[Sequence[Any]], **chart: Any) -> BarChart:
    """A chart of ``rows`` — (label, value) or (label, value, link) — in the order given, each
    value printed with ``value_text``; ``chart``: the other BarChart fields."""
    bars = []
    for row in rows:
        label, value = row[0], row[1]
        href = row[2] if len(row) > 2 else ""
        bars.append(Bar(label=str(label), value=value, value_text=value_text(value), href=href))
    return BarChart(bars=tuple(bars), **chart)


def _bar_length(bar: Bar, *, largest: float, room: float) -> float:
    """How long a bar is drawn in ``room`` (the longest one fills it; an unknown, zero or
    negative value draws none)."""
    if not bar.value or bar.value < 0:
        return 0.0
    return min(float(bar.value) / largest, 1.0) * room


def layout(chart: BarChart, geometry: Geometry) -> Layout:
    """Where each label line, bar and value of ``chart`` goes, drawn with ``geometry``: labels
    right-aligned in their column beside the bars, or above them across the width (stacked),
    wrapped to fit; the longest bar as long as the plot."""
    if geometry.stacked:
        return _stacked_layout(chart, geometry)
    size = geometry.font_size
    label_x = round(geometry.width * geometry.label_share)
    bar_x = label_x + geometry.gap
    plot_width = _plot_width(chart, geometry, bar_x)
    largest = chart.largest
    rows = []
    top = float(geometry.margin)
    for bar in chart.bars:
        lines, shortened = wrap(
            bar.label, width=label_x - geometry.gap, size=size, max_lines=geometry.max_label_lines
        )
        height = max(geometry.row_height, len(lines) * geometry.line_height + geometry.row_padding)
        middle = top + height / 2
        first_baseline = (
            middle - (len(lines) - 1) * geometry.line_height / 2 + geometry.baseline_shift
        )
        length = round(_bar_length(bar, largest=largest, room=plot_width), 1)
        rows.append(
            Row(
                bar=bar,
                label_lines=_label_lines(lines, first_baseline, geometry),
                label_shortened=shortened,
                bar_y=round(middle - geometry.bar_height / 2, 1),
                bar_width=length,
                value_x=round(bar_x + length + geometry.gap * 0.75, 1),
                value_y=round(middle + geometry.baseline_shift, 1),
            )
        )
        top += height
    return Layout(
        width=geometry.width,
        height=round(top + geometry.margin, 1),
        font_size=size,
        stacked=False,
        label_x=label_x,
        bar_x=bar_x,
        plot_width=round(plot_width, 1),
        bar_height=geometry.bar_height,
        rows=rows,
    )


def _label_lines(lines: list[str], first_baseline: float, geometry: Geometry) -> list[LabelLine]:
    """A bar's label, one line under the other from the first baseline."""
    return [
        LabelLine(text=line, y=round(first_baseline + index * geometry.line_height, 1))
        for index, line in enumerate(lines)
    ]


def _plot_width(chart: BarChart, geometry: Geometry, bar_x: float) -> float:
    """Room for the longest bar, its value after it and a margin; a long value text (an
    amount) must not leave the bars no room at all."""
    size = geometry.font_size
    value_width = max((text_width(bar.value_text, size) for bar in chart.bars), default=0)
    return max(geometry.width - bar_x - 1.5 * geometry.gap - value_width, geometry.width / 4)


def _stacked_layout(chart: BarChart, geometry: Geometry) -> Layout:
    """Each row: the label's lines across the whole width, then its bar and value under them."""
    size = geometry.font_size
    plot_width = _plot_width(chart, geometry, 0)
    largest = chart.largest
    rows = []
    top = float(geometry.margin)
    for bar in chart.bars:
        lines, shortened = wrap(
            bar.label, width=geometry.width, size=size, max_lines=geometry.max_label_lines
        )
        first_baseline = top + geometry.line_height - (geometry.line_height - size) / 2
        bar_top = top + len(lines) * geometry.line_height + geometry.row_padding / 4
        middle = bar_top + geometry.bar_height / 2
        length = round(_bar_length(bar, largest=largest, room=plot_width), 1)
        rows.append(
            Row(
                bar=bar,
                label_lines=_label_lines(lines, first_baseline, geometry),
                label_shortened=shortened,
                bar_y=round(bar_top, 1),
                bar_width=length,
                value_x=round(length + geometry.gap * 0.75, 1),
                value_y=round(middle + geometry.baseline_shift, 1),
            )
        )
        top = bar_top + geometry.bar_height + geometry.row_padding
    return Layout(
        width=geometry.width,
        height=round(top + geometry.margin, 1),
        font_size=size,
        stacked=True,
        label_x=0,
        bar_x=0,
        plot_width=round(plot_width, 1),
        bar_height=geometry.bar_height,
        rows=rows,
    )
