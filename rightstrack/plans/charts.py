"""Horizontal bar charts drawn on the server as SVG: no script, no web font, nothing fetched.

Each chart is shown with its data as a table (the same rows), so it reads without sight and
without the picture.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 110
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 6
LABEL_CHARACTERS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    value_text: str
    href: str = ""
    short_label: str = ""
    y: int = 0
    text_y: int = 0
    width: float = 0.0


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 8

    @property
    def height(self):
        return TOP * 2 + ROW_HEIGHT * max(len(self.bars), 1)

    @property
    def is_empty(self):
        return not self.bars

    @property
    def total(self):
        return sum((bar.value for bar in self.bars), Decimal(0) if self._decimal else 0)

    @property
    def _decimal(self):
        return any(isinstance(bar.value, Decimal) for bar in self.bars)


def _shorten(label):
    label = str(label)
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _value_text(value):
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def bar_chart(*, id, title, description, label_heading, value_heading, rows):
    """A chart of ``rows`` — (label, value) or (label, value, link) — in the order given."""
    rows = list(rows)
    largest = max((row[1] for row in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 8 - VALUE_WIDTH
    bars = []
    for index, row in enumerate(rows):
        label, value = row[0], row[1]
        href = row[2] if len(row) > 2 else ""
        y = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=str(label),
                value=value,
                value_text=_value_text(value),
                href=href,
                short_label=_shorten(label),
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=y + ROW_HEIGHT // 2 + 5,
                width=round(float(value) / float(largest) * room, 1) if value else 0.0,
            )
        )
    return BarChart(
        id=id,
        title=str(title),
        description=str(description),
        label_heading=str(label_heading),
        value_heading=str(value_heading),
        bars=bars,
    )
