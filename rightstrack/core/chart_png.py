"""Bar charts (core.charts) drawn as PNG pictures with Pillow, for documents (Word and PDF).

The picture is laid out as a page's SVG is (core.charts.layout), at a size that prints sharp.
It is a convenience: every chart is followed by its data as a table in the document, where
labels are given in full.
"""

import io

from PIL import Image, ImageDraw

from .charts import BarChart, Geometry, layout
from .text_layout import font

# Pixels, for about 17 cm of page.
PNG = Geometry(
    width=1800,
    font_size=32,
    line_height=40,
    row_height=64,
    row_padding=24,
    bar_height=38,
    gap=16,
    margin=18,
    label_share=0.38,
)
BACKGROUND = (255, 255, 255)
TEXT = (26, 26, 26)
BAR = (31, 95, 139)
AXIS = (150, 150, 150)


def bar_chart_png(chart: BarChart) -> bytes:
    """PNG bytes of the chart's bars, in their order."""
    drawn = layout(chart, PNG)
    # An empty chart is still a picture of one empty row.
    height = round(max(drawn.height, PNG.margin * 2 + PNG.row_height))
    image = Image.new("RGB", (PNG.width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_font = font(PNG.font_size)
    draw.line(
        [(drawn.bar_x, PNG.margin // 2), (drawn.bar_x, height - PNG.margin // 2)],
        fill=AXIS,
        width=2,
    )
    for row in drawn.rows:
        for line in row.label_lines:
            draw.text((drawn.label_x, line.y), line.text, font=text_font, fill=TEXT, anchor="rs")
        if row.bar_width:
            draw.rectangle(
                [
                    (drawn.bar_x, row.bar_y),
                    (drawn.bar_x + row.bar_width, row.bar_y + drawn.bar_height),
                ],
                fill=BAR,
            )
        draw.text(
            (row.value_x, row.value_y), row.bar.value_text, font=text_font, fill=TEXT, anchor="ls"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels."""
    with Image.open(io.BytesIO(png)) as image:
        return image.size
