"""Bar charts drawn as PNG pictures for documents."""

import io

from PIL import Image, ImageDraw

from rightstrack.core.chart_png import BACKGROUND, BAR, PNG, bar_chart_png, png_size
from rightstrack.core.charts import Bar, BarChart
from rightstrack.core.text_layout import font


def chart(*bars):
    return BarChart(
        id="chart",
        title="Рекомендации по темам",
        label_heading="Тема",
        value_heading="Рекомендации",
        bars=[Bar(label=label, value=value, value_text=str(value)) for label, value in bars],
    )


def _glyph(letter):
    image = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(image).text((8, 8), letter, font=font(32), fill=255)
    return image.tobytes()


def test_it_draws_cyrillic_labels_with_the_vendored_font():
    # The font has the letters: they are not drawn as the box of a missing glyph.
    missing = _glyph("\ue000")
    assert all(_glyph(letter) != missing for letter in "ПытЖЁЩ")

    png = bar_chart_png(chart(("Запрещение пыток", 3), ("Смертная казнь", 1)))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == PNG.width
        # Ink in the label column: the labels were drawn.
        labels = image.crop((0, 0, int(PNG.width * PNG.label_share), image.height)).convert("L")
        assert labels.getextrema()[0] < 100


def test_the_longest_bar_fills_the_plot_and_a_zero_draws_none():
    png = bar_chart_png(chart(("A very long label " * 5, 10), ("B", 0)))
    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGB")
        middle = image.width // 2
        # The last row (of one line) is the bottom PNG.row_height above the padding.
        border = image.height - PNG.margin - PNG.row_height
        first_row = {image.getpixel((middle, y)) for y in range(border)}
        second_row = {image.getpixel((middle, y)) for y in range(border, image.height)}
        assert BAR in first_row
        assert BAR not in second_row
        assert BACKGROUND in second_row


def test_a_label_wrapped_over_lines_makes_its_row_taller():
    short = png_size(bar_chart_png(chart(("Torture", 1))))
    wrapped = png_size(bar_chart_png(chart(("Economic, social and cultural rights " * 3, 1))))

    assert wrapped[0] == short[0]
    assert wrapped[1] > short[1]


def test_an_empty_chart_is_still_a_picture():
    assert png_size(bar_chart_png(chart())) == (PNG.width, PNG.margin * 2 + PNG.row_height)
