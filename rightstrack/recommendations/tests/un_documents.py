"""UN documents built at test time: a Working Group report as PDF or Word from its text, and
addenda in the styles States write them. Nothing here copies the real documents: the real text
is read from ../shared/data when a test runs."""

import docx
from fpdf import FPDF

from rightstrack.core.text_layout import REGULAR_FONT
from rightstrack.recommendations.imports.values import decode_text, normalize_newlines

JOB_NUMBER = "GE.10-14567"


def report_lines(path):
    """The lines of a report's text file, decoded as the text importer decodes them."""
    return normalize_newlines(decode_text(path.read_bytes())).split("\n")


class _Pages(FPDF):
    """Pages like the UN's: the symbol at the top of every page, the job number and page
    number at the bottom."""

    running_head = ""

    def header(self):
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, self.running_head, align="R" if self.page_no() % 2 else "L")
        self.ln(10)
        self.set_font("DejaVu", size=10)

    def footer(self):
        self.set_y(-14)
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, f"{JOB_NUMBER}    {self.page_no()}", align="C")


def write_pdf(path, lines, *, symbol="A/HRC/15/16"):
    """A PDF of the lines: each line a paragraph, wrapped to the page, over as many pages as it
    takes, with the running head and foot of a UN document."""
    pdf = _Pages(format="A4")
    pdf.running_head = symbol
    pdf.add_font("DejaVu", fname=str(REGULAR_FONT))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    for line in lines:
        if line.strip():
            pdf.multi_cell(0, 5, line.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
    pdf.output(str(path))
    return path


def write_docx(path, lines, *, symbol="A/HRC/15/16", tables=()):
    """A Word file of the lines, one paragraph each, with the symbol in the page header;
    ``tables``: rows of cells appended as tables."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = symbol
    for line in lines:
        document.add_paragraph(line.strip())
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    document.save(str(path))
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Paragraphs numbered by Word itself: "97." on the first level from 97 on, "97.1" below it.
_PARAGRAPH_NUMBERING = (
    f'<w:abstractNum {_W} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="97"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
)
_NUM = f'<w:num {_W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def write_numbered_docx(path, items, *, symbol="A/HRC/15/16"):
    """A Word file whose paragraphs Word numbers itself; ``items``: (level or None, text)."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = symbol
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_PARAGRAPH_NUMBERING))
    numbering.append(parse_xml(_NUM))
    for level, text in items:
        paragraph = document.add_paragraph(text)
        if level is not None:
            properties = paragraph._p.get_or_add_pPr()
            properties.append(
                parse_xml(f'<w:numPr {_W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    document.save(str(path))
    return path
