"""Horizontal bar charts drawn as PNG pictures with Pillow, for both writers.

The picture is a convenience: every chart is followed by its data as a table in the document, so
labels shortened here to fit are given in full there. The vendored DejaVu Sans font draws Latin
and Cyrillic alike; nothing is fetched and no system font is needed.
"""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"

WIDTH = 1800  # pixels, for about 17 cm of page: sharp when printed
ROW_HEIGHT = 64
BAR_HEIGHT = 38
PADDING = 18
FONT_SIZE = 32
LABEL_SHARE = 0.38  # of the width, for the labels
GAP = 16
BACKGROUND = (255, 255, 255)
TEXT = (26, 26, 26)
BAR = (31, 95, 139)
AXIS = (150, 150, 150)
ELLIPSIS = "…"


@cache
def _font(bold=False):
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), FONT_SIZE)


def _text_width(draw, text, font):
    return draw.textlength(text, font=font)


def _fit(draw, text, font, width):
    """The text, shortened with an ellipsis to fit in ``width`` pixels."""
    if _text_width(draw, text, font) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _text_width(draw, text[:middle].rstrip() + ELLIPSIS, font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def bar_chart_png(bars):
    """PNG bytes of a horizontal bar chart of ``bars`` (ChartBar), in the order given."""
    bars = list(bars)
    height = PADDING * 2 + ROW_HEIGHT * max(len(bars), 1)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = _font()
    label_width = int(WIDTH * LABEL_SHARE)
    value_width = (
        max((_text_width(draw, bar.value_text, font) for bar in bars), default=0) + GAP * 2
    )
    bar_left = label_width + GAP
    room = max(WIDTH - bar_left - value_width, 1)
    largest = max((float(bar.value) for bar in bars), default=0) or 1.0
    draw.line([(bar_left, PADDING // 2), (bar_left, height - PADDING // 2)], fill=AXIS, width=2)
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT // 2
        label = _fit(draw, bar.label, font, label_width - GAP)
        draw.text((label_width, middle), label, font=font, fill=TEXT, anchor="rm")
        length = round(max(float(bar.value), 0) / largest * room)
        bar_top = top + (ROW_HEIGHT - BAR_HEIGHT) // 2
        if length:
            draw.rectangle(
                [(bar_left, bar_top), (bar_left + length, bar_top + BAR_HEIGHT)], fill=BAR
            )
        draw.text(
            (bar_left + length + GAP, middle), bar.value_text, font=font, fill=TEXT, anchor="lm"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_size(png):
    """(width, height) in pixels."""
    with Image.open(io.BytesIO(png)) as image:
        return image.size
