"""Bar charts (core.charts) drawn as PNG pictures with Pillow, for documents (Word and PDF).

The picture is a convenience: every chart is followed by its data as a table in the document,
where labels are given in full. Labels are wrapped at spaces as on pages (core.text_layout).
"""

import io

from PIL import Image, ImageDraw

from .charts import BarChart, bar_length
from .text_layout import font, text_width, wrap

WIDTH = 1800  # pixels, for about 17 cm of page: sharp when printed
ROW_HEIGHT = 64  # at least; a row is taller when its label takes several lines
LINE_HEIGHT = 40
MAX_LABEL_LINES = 3
BAR_HEIGHT = 38
PADDING = 18
FONT_SIZE = 32
LABEL_SHARE = 0.38  # of the width, for the labels
GAP = 16
BACKGROUND = (255, 255, 255)
TEXT = (26, 26, 26)
BAR = (31, 95, 139)
AXIS = (150, 150, 150)


def bar_chart_png(chart: BarChart) -> bytes:
    """PNG bytes of the chart's bars, in their order."""
    label_width = int(WIDTH * LABEL_SHARE)
    labels = [
        wrap(bar.label, width=label_width - GAP, size=FONT_SIZE, max_lines=MAX_LABEL_LINES)[0]
        for bar in chart.bars
    ]
    row_heights = [max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + 24) for lines in labels]
    height = PADDING * 2 + (sum(row_heights) or ROW_HEIGHT)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_font = font(FONT_SIZE)
    value_width = (
        max((text_width(bar.value_text, FONT_SIZE) for bar in chart.bars), default=0) + GAP * 2
    )
    bar_left = label_width + GAP
    room = max(WIDTH - bar_left - value_width, WIDTH / 4)
    largest = chart.largest
    draw.line([(bar_left, PADDING // 2), (bar_left, height - PADDING // 2)], fill=AXIS, width=2)
    top = PADDING
    for bar, lines, row_height in zip(chart.bars, labels, row_heights, strict=True):
        middle = top + row_height // 2
        draw.multiline_text(
            (label_width, middle),
            "\n".join(lines),
            font=text_font,
            fill=TEXT,
            anchor="rm",
            align="right",
            spacing=LINE_HEIGHT - FONT_SIZE,
        )
        length = round(bar_length(bar, largest=largest, room=room))
        bar_top = middle - BAR_HEIGHT // 2
        if length:
            draw.rectangle(
                [(bar_left, bar_top), (bar_left + length, bar_top + BAR_HEIGHT)], fill=BAR
            )
        draw.text(
            (bar_left + length + GAP, middle),
            bar.value_text,
            font=text_font,
            fill=TEXT,
            anchor="lm",
        )
        top += row_height
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels."""
    with Image.open(io.BytesIO(png)) as image:
        return image.size
