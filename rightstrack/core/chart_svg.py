"""A bar chart's layout drawn as SVG markup, for components/bar_chart.html.

Written in Python rather than as a template: a page of charts has a few hundred rows, each with
a dozen attributes, and Django's template engine looking those up took a sixth of a plan page's
CPU (76 -> 60 ms at 1,000 measures). Every text is escaped; coordinates are printed as Python
prints them, never localised (a Russian page must not write "12,5").

A drawing is a pure function of the chart (its texts and values, compared by value) and the
language a lazy title is read in, so it is drawn once and kept: a dashboard's charts change only
when its figures do, and laying them out (wrapping every label) and writing them was still a
twentieth of a plan page at 1,000 measures.
"""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .charts import BarChart, Layout

KINDS = ("wide", "stacked")


def _number(value: float) -> str:
    """A coordinate as SVG wants it, never localised (12.5, not "12,5")."""
    return str(value)


def draw_svg(chart: BarChart, kind: str) -> SafeString:
    """One drawing of ``chart``: ``kind`` "wide" (labels beside their bars) or "stacked"
    (labels over them, for narrow screens); both are on the page, the CSS shows one."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart drawing: {kind}")
    return _drawn(chart, kind, get_language())


# A few pages' worth of charts (a plan dashboard has five, drawn twice); a drawing is a few KB.
@lru_cache(maxsize=512)
def _drawn(chart: BarChart, kind: str, language: str | None) -> SafeString:
    """``draw_svg``, kept by its arguments: ``language`` is in the key because a chart's texts
    may be lazy (read in the language of the request), and two charts equal in one language
    must not share a drawing in another."""
    svg: Layout = chart.stacked_svg if kind == "stacked" else chart.svg
    chart_id = escape(chart.id)
    title_id = f"{chart_id}-{kind}-title"
    desc_id = f"{chart_id}-{kind}-desc"
    width = _number(svg.width)
    anchor = "start" if svg.stacked else "end"
    label_x = _number(svg.label_x)
    description = "; ".join(f"{escape(bar.label)}: {escape(bar.value_text)}" for bar in chart.bars)
    parts = [
        f'<svg class="bar-chart bar-chart-{kind}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {width} {_number(svg.height)}" '
        f'width="{width if kind == "stacked" else "100%"}" '
        f'preserveAspectRatio="xMinYMin meet" font-size="{_number(svg.font_size)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{description}</desc>',
    ]
    for row in svg.rows:
        parts.append("<g>")
        if row.label_shortened:
            parts.append(f"<title>{escape(row.bar.label)}</title>")
        lines = "".join(
            f'<tspan x="{label_x}" y="{_number(line.y)}">{escape(line.text)}</tspan>'
            for line in row.label_lines
        )
        parts.append(f'<text class="chart-label" text-anchor="{anchor}">{lines}</text>')
        if row.bar_width:
            parts.append(
                f'<rect class="chart-bar" x="{_number(svg.bar_x)}" y="{_number(row.bar_y)}" '
                f'width="{_number(row.bar_width)}" height="{_number(svg.bar_height)}"></rect>'
            )
        parts.append(
            f'<text class="chart-value" x="{_number(row.value_x)}" y="{_number(row.value_y)}">'
            f"{escape(row.bar.value_text)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped
