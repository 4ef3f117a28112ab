"""Renders a document (model.py) as a Word file with python-docx.

Real Word structure: the title in the Title style, headings in Heading 1–3, tables as Word tables
whose heading row repeats on every page, links as hyperlinks, and page numbers in the footer.
"""

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rightstrack.core.chart_png import bar_chart_png

from .model import (
    BlockWriter,
    Column,
    KeyValues,
    Link,
    Paragraph,
    chart_data_table,
    lines_of,
)

MARGIN = Cm(2)
LINK_COLOR = RGBColor(0x1F, 0x5F, 0x8B)
MUTED_COLOR = RGBColor(0x55, 0x55, 0x55)
HEADING_FILL = "E6ECF2"
BODY_SIZE = Pt(10)
TABLE_SIZE = Pt(9)


def _add_hyperlink(paragraph, url, text):
    part = paragraph.part
    relation_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relation_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK_COLOR))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(color)
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _write_link(paragraph, link):
    if link.text and link.text != link.url:
        paragraph.add_run(f"{link.text}: ")
    _add_hyperlink(paragraph, link.url, link.url)


def _write_inline(paragraph, inline):
    """Lines of an inline into one paragraph, separated by line breaks."""
    for index, line in enumerate(lines_of(inline)):
        if index:
            paragraph.add_run().add_break()
        if isinstance(line, Link):
            _write_link(paragraph, line)
        else:
            paragraph.add_run(line)


def _add_field(paragraph, instruction):
    """A field (PAGE, NUMPAGES) that Word fills in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _page_footer(section, page_label):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "Page %(page)s of %(pages)s" in the document's language, with the numbers as fields.
    text = page_label % {"page": "\x01PAGE\x01", "pages": "\x01NUMPAGES\x01"}
    for piece in text.split("\x01"):
        if piece in ("PAGE", "NUMPAGES"):
            _add_field(paragraph, piece)
        elif piece:
            paragraph.add_run(piece)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _shade(cell, fill):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_as_heading(row):
    properties = row._tr.get_or_add_trPr()
    heading = OxmlElement("w:tblHeader")
    heading.set(qn("w:val"), "true")
    properties.append(heading)


def _mark_as_heading_cell(cell):
    # Assistive technology reads the repeated heading row as column headings.
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


class _Writer(BlockWriter):
    def __init__(self, document):
        super().__init__(document)
        self.word = WordDocument()
        self._set_up()

    @property
    def text_width(self):
        section = self.word.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def _set_up(self):
        section = self.word.sections[0]
        if self.document.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        normal = self.word.styles["Normal"]
        normal.font.size = BODY_SIZE
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), self.document.language)
        normal.element.get_or_add_rPr().append(language)
        properties = self.word.core_properties
        properties.title = self.document.title
        properties.subject = self.document.subtitle
        properties.language = self.document.language
        properties.author = "rightstrack"
        _page_footer(section, self.document.page_label)

    def paragraph(self, inline, style=None):
        paragraph = self.word.add_paragraph(style=style)
        _write_inline(paragraph, inline)
        return paragraph

    def cover(self):
        document = self.document
        self.word.add_heading(document.title, level=0)
        if document.subtitle:
            self.word.add_paragraph(document.subtitle, style="Subtitle")
        if document.facts:
            self.key_values(KeyValues(rows=document.facts))
        self.paragraph(document.generated_label)
        self.paragraph(document.scope).runs[0].bold = True
        for notice in document.notices:
            self.paragraph(notice, style="Intense Quote")
        self.word.add_page_break()

    def heading(self, block):
        self.word.add_heading(block.text, level=min(max(block.level, 1), 3))

    def text(self, block):
        if block.style == "note":
            self.paragraph(block.content, style="Intense Quote")
            return
        paragraph = self.paragraph(block.content)
        if block.style == "muted":
            for run in paragraph.runs:
                run.font.size = Pt(8)
                run.font.color.rgb = MUTED_COLOR

    def bullets(self, block):
        for item in block.items:
            self.paragraph(item, style="List Bullet")

    def _grid(self, columns, rows, *, with_heading=True):
        table = self.word.add_table(rows=0, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        total = sum(column.width for column in columns) or 1
        # Two columns (key/values, a chart's data) read better narrower than a landscape page.
        width = self.text_width if len(columns) > 2 else min(self.text_width, Cm(17))
        widths = [int(width * column.width / total) for column in columns]
        if with_heading:
            cells = table.add_row().cells
            _repeat_as_heading(table.rows[0])
            for cell, column in zip(cells, columns, strict=True):
                cell.text = column.heading
                _mark_as_heading_cell(cell)
                _shade(cell, HEADING_FILL)
        for values in rows:
            cells = table.add_row().cells
            for cell, value, column in zip(cells, values, columns, strict=True):
                paragraph = cell.paragraphs[0]
                _write_inline(paragraph, value)
                if column.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = TABLE_SIZE
        self.word.add_paragraph()
        return table

    def key_values(self, block):
        table = self._grid(
            [Column("", 1.0), Column("", 2.6)],
            [list(row) for row in block.rows],
            with_heading=False,
        )
        for row in table.rows:
            for run in row.cells[0].paragraphs[0].runs:
                run.bold = True

    def table(self, block):
        if block.caption:
            self.word.add_paragraph(block.caption, style="Caption")
        if not block.rows:
            if block.empty_text:
                self.paragraph(block.empty_text)
            return
        self._grid(block.columns, block.rows)

    def chart(self, block):
        title = str(block.title)
        self.word.add_paragraph(title, style="Caption")
        if block.description:
            self.text(Paragraph(str(block.description), style="muted"))
        if block.is_empty:
            self.paragraph(str(block.empty_text))
        else:
            width = min(self.text_width, Cm(17))
            self.word.add_picture(io.BytesIO(bar_chart_png(block)), width=width)
            picture = self.word.paragraphs[-1]
            # Alternative text for the picture: the chart's title; the data follow as a table.
            for element in picture._p.iter(qn("wp:docPr")):
                element.set("descr", title)
            self.table(chart_data_table(block))
        if block.footnote:
            self.text(Paragraph(str(block.footnote), style="muted"))

    def start_body(self):
        pass

    def page_break(self, block):
        self.word.add_page_break()

    def finish(self):
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()


def render_docx(document):
    """The Word file (bytes) of a document."""
    return _Writer(document).render()
