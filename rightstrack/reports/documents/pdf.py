"""Renders a document (model.py) as a PDF with fpdf2.

The vendored DejaVu Sans fonts print Latin and Cyrillic; table cells wrap long text (and break
words longer than a column, such as addresses); a table's heading row repeats on every page;
every page but the cover carries the title at the top and its number at the bottom; headings are
bookmarks in the PDF's outline.
"""

import io
import re

from fpdf import FPDF
from fpdf.enums import (
    MethodReturnValue,
    TableBordersLayout,
    TableHeadingsDisplay,
    VAlign,
    XPos,
    YPos,
)
from fpdf.fonts import FontFace

from rightstrack.core.chart_png import bar_chart_png, png_size
from rightstrack.core.text_layout import BOLD_FONT, REGULAR_FONT

from .model import (
    BlockWriter,
    Column,
    KeyValues,
    Link,
    Paragraph,
    chart_data_table,
    lines_of,
)

FAMILY = "DejaVu"
MARGIN = 15  # mm
BODY_SIZE = 10
TABLE_SIZE = 8.5
SMALL_SIZE = 8
HEADING_SIZES = {0: 22, 1: 16, 2: 13, 3: 11}
TEXT_COLOR = (26, 26, 26)
MUTED_COLOR = (85, 85, 85)
HEADING_FILL = (230, 236, 242)
NOTE_FILL = (255, 248, 225)
CHART_WIDTH = 170  # mm at most
# fpdf2's markdown markers; text is escaped so that data are never read as markup.
MARKERS = re.compile(r"(\*\*|__|~~|--)")


def _escape(text):
    # A backslash would escape what follows it; print a look-alike instead.
    text = str(text).replace("\\", "\u2216").replace("](", "] (")
    return MARKERS.sub(r"\\\1", text)


def _link_markdown(link):
    url = link.url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    shown = _escape(link.url).replace("[", "(").replace("]", ")")
    target = f"[{shown}]({url})"
    if link.text and link.text != link.url:
        return f"{_escape(link.text)}: {target}"
    return target


def _markdown(inline):
    """An inline as fpdf2 markdown: escaped text, links, one line each."""
    return "\n".join(
        _link_markdown(line) if isinstance(line, Link) else _escape(line)
        for line in lines_of(inline)
    )


CELL_PADDING = (1, 1.5, 1, 1.5)  # mm: top, right, bottom, left
# A row is split at the end of a page when at least this many of its lines fit there; fewer, and
# it starts on the next page as a whole.
MIN_LINES_BEFORE_SPLIT = 2


class _GridLayout:
    """Where a table's rows fall on the pages, worked out before fpdf2 draws it: fpdf2 moves a
    row that does not fit to the next page whole, so a table of long rows (recommendation
    texts) leaves half of each page empty. A row that does not fit is split instead: the lines
    that fit end the page, the rest of each cell continues in a row on the next (under the
    repeated heading row)."""

    def __init__(self, pdf, *, widths, line_height, bold_first_column):
        self.pdf = pdf
        self.widths = widths
        self.line_height = line_height
        self.bold_first_column = bold_first_column
        self.padding = CELL_PADDING[0] + CELL_PADDING[2]

    def _lines(self, row, *, heading=False):
        """Each cell's text as the lines fpdf2 will print, in the font it uses for it."""
        cells = []
        for index, (text, width) in enumerate(zip(row, self.widths, strict=True)):
            bold = heading or (self.bold_first_column and index == 0)
            self.pdf.set_font(FAMILY, "B" if bold else "", TABLE_SIZE)
            lines = self.pdf.multi_cell(
                w=width,
                h=self.line_height,
                text=text,
                padding=CELL_PADDING,
                markdown=True,
                dry_run=True,
                output=MethodReturnValue.LINES,
            )
            cells.append(list(lines) if text else [])
        self.pdf.set_font(FAMILY, "", TABLE_SIZE)
        return cells

    def _height(self, cells):
        return max(1, *(len(lines) for lines in cells)) * self.line_height + self.padding

    def split_at_page_ends(self, rows, *, heading):
        """``rows`` (cell texts), with each row that would cross the end of a page cut in two
        there (and again at the next page's end, if need be)."""
        pdf = self.pdf
        bottom = pdf.page_break_trigger
        heading_height = self._height(self._lines(heading, heading=True)) if heading else 0
        next_page_top = pdf.body_top + heading_height
        y = pdf.get_y() + heading_height
        out = []
        for row in rows:
            cells = self._lines(row)
            if self._height(cells) <= bottom - y:
                out.append(row)
                y += self._height(cells)
                continue
            first = True
            while self._height(cells) > bottom - y:
                fit = int((bottom - y - self.padding) // self.line_height) - 1
                if fit < MIN_LINES_BEFORE_SPLIT:
                    if y == next_page_top:  # a fresh page cannot hold a line: draw as it is
                        break
                    y = next_page_top
                    continue
                out.append([_rejoin(lines[:fit]) for lines in cells])
                cells = [lines[fit:] for lines in cells]
                first = False
                y = next_page_top
            out.append(row if first else [_rejoin(lines) for lines in cells])
            y += self._height(cells)
        return out


def _rejoin(lines):
    """Printed lines back into a cell's text (markdown, escaped as the text was)."""
    return "\n".join(_escape(line) for line in lines)


class _Pdf(FPDF):
    def __init__(self, document):
        super().__init__(orientation="L" if document.landscape else "P", unit="mm", format="A4")
        self.document = document
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.add_font(FAMILY, "", str(REGULAR_FONT))
        self.add_font(FAMILY, "B", str(BOLD_FONT))
        # No italic face is vendored: italics print upright rather than fail.
        self.add_font(FAMILY, "I", str(REGULAR_FONT))
        self.add_font(FAMILY, "BI", str(BOLD_FONT))
        self.set_text_color(*TEXT_COLOR)
        self.set_title(document.title)
        self.body_top = float(self.t_margin)  # where a page's content starts, under its header
        self.set_subject(document.subtitle)
        self.set_author("rightstrack")
        self.set_creator("rightstrack")
        self.set_lang(document.language)
        self.set_display_mode("fullwidth")

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", SMALL_SIZE)
        self.set_text_color(*MUTED_COLOR)
        running = self.document.title
        if self.document.subtitle:
            running = f"{running} — {self.document.subtitle}"
        self.cell(0, 5, running, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*TEXT_COLOR)
        self.ln(2)
        self.body_top = self.get_y()

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", SMALL_SIZE)
        self.set_text_color(*MUTED_COLOR)
        label = self.document.page_label % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, label, align="C")
        self.set_text_color(*TEXT_COLOR)


class _Writer(BlockWriter):
    def __init__(self, document):
        super().__init__(document)
        self.pdf = _Pdf(document)

    @property
    def text_width(self):
        return self.pdf.epw

    def _font(self, size=BODY_SIZE, bold=False):
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def _line_height(self, size):
        return size * 0.3528 * 1.4  # points to millimetres, with some leading

    def _text(self, inline, *, size=BODY_SIZE, bold=False, fill=None, border=0):
        self._font(size, bold)
        self.pdf.multi_cell(
            0,
            self._line_height(size),
            _markdown(inline),
            markdown=True,
            border=border,
            fill=fill is not None,
            padding=2 if border else 0,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def _space(self, height=2.5):
        self.pdf.ln(height)

    def cover(self):
        document = self.document
        self.pdf.add_page()
        self.pdf.ln(25)
        self._text(document.title, size=HEADING_SIZES[0], bold=True)
        self.pdf.start_section(document.title, level=0, strict=False)
        if document.subtitle:
            self._space(3)
            self._text(document.subtitle, size=15)
        self._space(8)
        if document.facts:
            self.key_values(KeyValues(rows=document.facts))
        self._text(document.generated_label)
        self._space(1)
        self._text(document.scope, bold=True)
        for notice in document.notices:
            self._space(4)
            self.note(notice)

    def note(self, inline):
        self.pdf.set_fill_color(*NOTE_FILL)
        self._text(inline, fill=NOTE_FILL, border=1)
        self.pdf.set_fill_color(255, 255, 255)
        self._space()

    def heading(self, block):
        level = min(max(block.level, 1), 3)
        size = HEADING_SIZES[level]
        # Keep a heading with what follows it.
        if self.pdf.get_y() > self.pdf.h - MARGIN - (25 if level == 3 else 45):
            self.pdf.add_page()
        elif self.pdf.get_y() > MARGIN + 15:
            self._space(4 if level == 1 else 2)
        self.pdf.start_section(block.text, level=level, strict=False)
        self._text(block.text, size=size, bold=True)
        self._space(1.5)

    def text(self, block):
        if block.style == "note":
            self.note(block.content)
            return
        if block.style == "muted":
            self.pdf.set_text_color(*MUTED_COLOR)
            self._text(block.content, size=SMALL_SIZE)
            self.pdf.set_text_color(*TEXT_COLOR)
        else:
            self._text(block.content)
        self._space(1.5)

    def bullets(self, block):
        self._font()
        height = self._line_height(BODY_SIZE)
        for item in block.items:
            self.pdf.set_x(MARGIN + 2)
            self.pdf.cell(5, height, "•")
            self.pdf.multi_cell(
                0,
                height,
                _markdown(item),
                markdown=True,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self._space(1.5)

    def _grid(self, columns, rows, *, with_heading=True, bold_first_column=False, borders=None):
        self._font(TABLE_SIZE)
        # Two columns (key/values, a chart's data) read better narrower than a landscape page.
        width = self.text_width if len(columns) > 2 else min(self.text_width, CHART_WIDTH)
        layout = _GridLayout(
            self.pdf,
            widths=[width * column.width / sum(c.width for c in columns) for column in columns],
            line_height=self._line_height(TABLE_SIZE),
            bold_first_column=bold_first_column,
        )
        heading = [_escape(column.heading) for column in columns] if with_heading else None
        body = layout.split_at_page_ends(
            [[_markdown(value) for value in values] for values in rows], heading=heading
        )
        with self.pdf.table(
            col_widths=[column.width for column in columns],
            width=width,
            align="LEFT",
            text_align=tuple("RIGHT" if column.numeric else "LEFT" for column in columns),
            v_align=VAlign.T,
            markdown=True,
            first_row_as_headings=with_heading,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
            line_height=layout.line_height,
            padding=CELL_PADDING,
            borders_layout=borders or TableBordersLayout.ALL,
        ) as table:
            if heading is not None:
                row = table.row()
                for text in heading:
                    row.cell(text)
            bold = FontFace(emphasis="BOLD")
            for values in body:
                row = table.row()
                for index, text in enumerate(values):
                    style = bold if bold_first_column and index == 0 else None
                    row.cell(text, style=style)
        self._space(3)

    def key_values(self, block):
        self._grid(
            [Column("", 1.0), Column("", 2.6)],
            [list(row) for row in block.rows],
            with_heading=False,
            bold_first_column=True,
            borders=TableBordersLayout.HORIZONTAL_LINES,
        )

    def table(self, block):
        if block.caption:
            if self.pdf.will_page_break(30):
                self.pdf.add_page()
            self._text(block.caption, size=BODY_SIZE, bold=True)
            self._space(1)
        if not block.rows:
            if block.empty_text:
                self._text(block.empty_text)
                self._space(1.5)
            return
        self._grid(block.columns, block.rows)

    def chart(self, block):
        if self.pdf.will_page_break(40):
            self.pdf.add_page()
        self._text(str(block.title), bold=True)
        if block.description:
            self.pdf.set_text_color(*MUTED_COLOR)
            self._text(str(block.description), size=SMALL_SIZE)
            self.pdf.set_text_color(*TEXT_COLOR)
        self._space(1)
        if block.is_empty:
            self._text(str(block.empty_text))
            self._space(2)
        else:
            png = bar_chart_png(block)
            pixels_wide, pixels_high = png_size(png)
            width = min(CHART_WIDTH, self.text_width)
            height = width * pixels_high / pixels_wide
            if self.pdf.will_page_break(height):
                self.pdf.add_page()
            self.pdf.image(
                io.BytesIO(png), x=self.pdf.l_margin, w=width, h=height, alt_text=str(block.title)
            )
            self._space(2)
            data = chart_data_table(block)
            self._grid(data.columns, data.rows)
        if block.footnote:
            self.text(Paragraph(str(block.footnote), style="muted"))

    def start_body(self):
        self.pdf.add_page()

    def page_break(self, block):
        self.pdf.add_page()

    def finish(self):
        return bytes(self.pdf.output())


def render_pdf(document):
    """The PDF file (bytes) of a document."""
    return _Writer(document).render()
