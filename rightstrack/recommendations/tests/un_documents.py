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
