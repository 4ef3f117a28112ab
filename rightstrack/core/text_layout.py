"""Measuring and wrapping short texts (chart labels) for pictures drawn on the server.

Texts are measured with the vendored DejaVu Sans, the font the PNG pictures and the PDFs are
drawn with. It is wider than the usual system sans-serif fonts of browsers, so a label measured
to fit here also fits in an SVG drawn with the reader's own font. Nothing is fetched and no
system font is needed; the font draws Latin and Cyrillic alike.
"""

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
ELLIPSIS = "…"


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size)


# A page's charts measure the same labels (agencies, themes, statuses) on every request, and
# wrapping measures each growing line again: FreeType's measuring was a sixth of a plan page.
@lru_cache(maxsize=20_000)
def text_width(text: str, size: int) -> float:
    """The width of ``text`` set in DejaVu Sans at ``size`` (in the same units as the size)."""
    return font(size).getlength(text)


def _split_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word wider than a line, in pieces that each fit (the one place a word is cut)."""
    pieces = []
    while word:
        end = len(word)
        while end > 1 and not fits(word[:end]):
            end -= 1
        pieces.append(word[:end])
        word = word[end:]
    return pieces


def _shorten(line: str, fits: Callable[[str], bool]) -> str:
    """The line with an ellipsis that says more follows: whole words dropped from its end
    until it fits; characters only when a single word is left."""
    while " " in line and not fits(line + ELLIPSIS):
        line = line.rsplit(" ", 1)[0].rstrip()
    while len(line) > 1 and not fits(line + ELLIPSIS):
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def wrap(text: str, *, width: float, size: int, max_lines: int) -> tuple[list[str], bool]:
    """(lines, shortened): ``text`` broken at spaces into lines no wider than ``width`` at
    ``size``. A word is cut only when it alone is wider than a line. When more than
    ``max_lines`` lines are needed the last one kept ends with an ellipsis and ``shortened`` is
    true (the full text is always in the data table beside the picture)."""

    def fits(line: str) -> bool:
        return text_width(line, size) <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        *whole, current = _split_word(word, fits)
        lines.extend(whole)
    if current or not lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    kept[-1] = _shorten(kept[-1], fits)
    return kept, True
