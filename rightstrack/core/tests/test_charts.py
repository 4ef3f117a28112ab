"""The bar chart model: its SVG geometry and the page component that draws it."""

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from rightstrack.core.charts import STACKED_SVG, SVG, Bar, BarChart, bar_chart, value_text
from rightstrack.core.text_layout import ELLIPSIS, text_width, wrap

LONG_LABEL = "Rights of persons with disabilities deprived of liberty in closed institutions"
VERY_LONG_LABEL = " ".join(["Economic, social and cultural rights of migrant workers"] * 4)


def chart(rows, **fields):
    return bar_chart(
        id=fields.pop("id", "chart-test"),
        title=fields.pop("title", "Recommendations by theme"),
        label_heading="Theme",
        value_heading="Recommendations",
        rows=rows,
        **fields,
    )


def test_it_wraps_a_long_label_at_spaces_instead_of_cutting_it():
    layout = chart([(LONG_LABEL, 3), ("Torture", 1)]).svg
    long_row, short_row = layout.rows

    lines = [line.text for line in long_row.label_lines]
    assert 2 <= len(lines) <= 3
    # Every word is there, whole, in order: nothing was cut off.
    assert " ".join(lines) == LONG_LABEL
    assert not long_row.label_shortened
    assert all(text_width(line, SVG.font_size) <= layout.label_x - SVG.gap for line in lines)
    # The wrapped label's row is taller, so its lines do not run into the next row.
    assert long_row.label_lines[-1].y < short_row.label_lines[0].y - SVG.font_size
    assert [line.text for line in short_row.label_lines] == ["Torture"]


def test_it_ends_a_label_longer_than_three_lines_with_an_ellipsis_after_a_whole_word():
    row = chart([(VERY_LONG_LABEL, 1)]).svg.rows[0]

    lines = [line.text for line in row.label_lines]
    assert len(lines) == 3
    assert row.label_shortened
    assert lines[-1].endswith(ELLIPSIS)
    shown = " ".join(lines).removesuffix(ELLIPSIS).split()
    assert shown == VERY_LONG_LABEL.split()[: len(shown)]


def test_it_breaks_only_a_word_that_is_wider_than_a_line():
    word = "Menschenrechtsbildungsprogrammverwaltungskoordinierungsstelle"
    lines, shortened = wrap(f"Die {word}", width=250, size=SVG.font_size, max_lines=3)

    assert lines[0] == "Die"
    assert "".join(lines[1:]) == word
    assert not shortened
    assert all(text_width(line, SVG.font_size) <= 250 for line in lines)


def test_it_sets_labels_in_a_readable_size_at_the_default_width():
    layout = chart([("Torture", 1)]).svg

    assert layout.width == SVG.width == 560
    assert layout.font_size >= 12
    html = render_to_string("components/bar_chart.html", {"chart": chart([("Torture", 1)])})
    assert f'viewBox="0 0 {SVG.width} ' in html
    assert f'font-size="{layout.font_size}"' in html


def test_no_bar_is_wider_than_the_plot_and_values_stay_inside_the_picture():
    amounts = chart(
        [
            ("Ministry of Justice", Decimal("1234567.00")),
            ("Ministry of Internal Affairs", Decimal("98765.00")),
            ("Ombudsperson", Decimal("0.00")),
        ]
    )
    layout = amounts.svg

    widths = [row.bar_width for row in layout.rows]
    assert widths[0] == layout.plot_width
    assert all(0 <= width <= layout.plot_width for width in widths)
    assert widths[2] == 0
    for row in layout.rows:
        assert row.value_x + text_width(row.bar.value_text, SVG.font_size) <= layout.width
    assert [bar.value_text for bar in amounts.bars] == ["1,234,567", "98,765", "0"]


def test_zero_and_unknown_values_draw_no_bar():
    zeros = chart([("Supported", 0), ("Noted", 0)])
    assert [row.bar_width for row in zeros.svg.rows] == [0, 0]

    unknown = BarChart(
        id="chart-participants",
        title="Participants",
        label_heading="Participants",
        value_heading="Reported number",
        bars=[
            Bar(label="Women", value=None, value_text="not reported"),
            Bar(label="Men", value=4, value_text="4"),
        ],
    )
    assert [row.bar_width for row in unknown.svg.rows] == [0, unknown.svg.plot_width]
    html = render_to_string("components/bar_chart.html", {"chart": unknown})
    assert html.count("<rect") == 2  # one bar in each of the two drawings
    assert '<td class="number not-reported">not reported</td>' in html


def test_an_empty_chart_says_so_instead_of_drawing():
    html = render_to_string("components/bar_chart.html", {"chart": chart([])})

    assert "<svg" not in html and "<table" not in html
    assert "Nothing to show yet." in html
    assert chart([]).svg.rows == []


def test_it_draws_a_named_picture_and_the_data_table_in_a_disclosure():
    drawn = chart(
        [("Torture", 2, "/recommendations/?theme=D25"), ("Death penalty", 1)],
        description="Accepted tags only.",
        footnote="3 more values are not shown.",
    )
    html = render_to_string("components/bar_chart.html", {"chart": drawn})

    assert 'role="img" aria-labelledby="chart-test-wide-title chart-test-wide-desc"' in html
    assert '<title id="chart-test-wide-title">Recommendations by theme</title>' in html
    assert '<desc id="chart-test-wide-desc">Torture: 2; Death penalty: 1</desc>' in html
    assert '<p class="muted">Accepted tags only.</p>' in html
    disclosure = html[html.index("<details") : html.index("</details>")]
    assert "<summary>Show the data</summary>" in disclosure
    assert "<caption>Data: Recommendations by theme</caption>" in disclosure
    assert '<th scope="row"><a href="/recommendations/?theme=D25">Torture</a></th>' in disclosure
    assert '<th scope="row">Death penalty</th><td class="number">1</td>' in disclosure
    assert '<p class="muted">3 more values are not shown.</p>' in html


def test_it_gives_the_data_table_further_columns():
    grouped = BarChart(
        id="chart-groups",
        title="Activities by target group",
        label_heading="Target group",
        value_heading="Activities",
        extra_headings=("Vocabulary",),
        bars=[Bar(label="Women", value=1, value_text="1", extra=("Spotlight population",))],
    )
    html = render_to_string("components/bar_chart.html", {"chart": grouped})

    assert '<th scope="col">Vocabulary</th>' in html
    assert '<td class="number">1</td><td>Spotlight population</td>' in html


def test_it_prints_labels_as_text_never_as_markup():
    hostile = chart([("<script>alert(1)</script>", 1, 'https://example.org/"onclick="x')])
    html = render_to_string("components/bar_chart.html", {"chart": hostile})

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onclick="x' not in html


def test_it_titles_a_shortened_label_with_the_whole_of_it():
    html = render_to_string("components/bar_chart.html", {"chart": chart([(VERY_LONG_LABEL, 1)])})

    assert f"<title>{VERY_LONG_LABEL}</title>" in html


def test_its_coordinates_are_not_localised_in_russian():
    drawn = chart([("Пытки", Decimal("1234.00")), ("Смертная казнь", 1)])
    with translation.override("ru"):
        html = render_to_string("components/bar_chart.html", {"chart": drawn})
        printed = value_text(Decimal("1234.00"))

    svg = html[html.index("<svg") : html.index("</svg>")]
    coordinates = re.findall(r'(?:x|y|width|height|viewBox)="([^"]*)"', svg)
    assert coordinates and all("," not in value for value in coordinates)
    assert "Показать данные" in html
    assert printed != "1234"  # grouped as Russian groups digits


def test_it_draws_a_narrow_screen_chart_with_each_label_over_its_bar():
    layout = chart([(LONG_LABEL, 3), ("Torture", 1)]).stacked_svg
    long_row, short_row = layout.rows

    assert layout.stacked and layout.width == STACKED_SVG.width == 320
    # Shown at most 320px wide (width="320", never enlarged): the text is 13px, or 12px and more
    # on a screen of 296px (360px less the page's margins).
    assert layout.font_size * 296 / layout.width >= 12
    lines = [line.text for line in long_row.label_lines]
    assert " ".join(lines) == LONG_LABEL and not long_row.label_shortened
    assert all(text_width(line, layout.font_size) <= layout.width for line in lines)
    # The label first, its bar under it, then the next row's label under that bar.
    assert long_row.label_lines[-1].y < long_row.bar_y
    assert long_row.bar_y + STACKED_SVG.bar_height < short_row.label_lines[0].y - layout.font_size
    assert long_row.bar_width == layout.plot_width  # the largest value fills the plot
    assert long_row.value_x + text_width("3", layout.font_size) <= layout.width


def test_it_puts_both_drawings_on_the_page_with_their_own_names():
    html = render_to_string("components/bar_chart.html", {"chart": chart([("Torture", 2)])})

    assert '<svg class="bar-chart bar-chart-wide"' in html
    assert '<svg class="bar-chart bar-chart-stacked"' in html
    assert 'aria-labelledby="chart-test-stacked-title chart-test-stacked-desc"' in html
    stacked = html[html.index('<svg class="bar-chart bar-chart-stacked"') :]
    assert 'viewBox="0 0 320 ' in stacked and 'width="320"' in stacked
    assert '<text class="chart-label" text-anchor="start"><tspan x="0"' in stacked


def test_it_keeps_a_drawing_until_the_data_or_the_language_change():
    from django.utils.translation import gettext_lazy

    from rightstrack.core.chart_svg import draw_svg

    def measures(value):
        return chart([("Agency A", value)], id="chart-kept", title=gettext_lazy("Measures"))

    with translation.override("en"):
        english = draw_svg(measures(3), "wide")
        assert draw_svg(measures(3), "wide") is english  # an equal chart: the kept drawing
        changed = draw_svg(measures(4), "wide")
        assert ">Agency A: 4</desc>" in changed and ">Agency A: 3</desc>" in english
        assert draw_svg(measures(3), "stacked") != english
    with translation.override("ru"):
        russian = draw_svg(measures(3), "wide")
    assert '<title id="chart-kept-wide-title">Measures</title>' in english
    assert '<title id="chart-kept-wide-title">Мероприятия</title>' in russian
