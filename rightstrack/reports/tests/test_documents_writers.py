"""The two writers render one document model with the same content."""

import datetime
import re

from docx.oxml.ns import qn

from rightstrack.core.charts import Bar, BarChart
from rightstrack.reports.documents.formats import render
from rightstrack.reports.documents.model import (
    BulletList,
    Column,
    Document,
    Heading,
    KeyValues,
    Link,
    Paragraph,
    Table,
)

from .reading import read_docx, read_pdf

LONG_TEXT = " ".join(f"слово{n}" for n in range(400))
MARKUP_LOOKALIKE = r"**not bold** __not italic__ -- a\b [x](y)"


def sample(rows=3):
    document = Document(
        title="Sample report",
        subtitle="Образец",
        generated_on=datetime.date(2025, 5, 3),
        generated_label="Generated on May 3, 2025",
        scope="Data scope: published data only",
        facts=[("State", "Беларусь")],
        notices=["A notice on the cover"],
    )
    document.add(
        Heading("Section one", 1),
        Paragraph(MARKUP_LOOKALIKE),
        KeyValues(rows=[("Evidence", Link("Report", "https://example.org/r?a=(1)"))]),
        Table(
            columns=[Column("Name", 1), Column("Text", 4), Column("Count", 1, numeric=True)],
            rows=[[f"row {n}", LONG_TEXT if n == 0 else "short", str(n)] for n in range(rows)],
            caption="A long table",
        ),
        Table(columns=[Column("Empty")], rows=[], empty_text="Nothing here."),
        BulletList(
            items=["first item", Link("https://example.org/second", "https://example.org/second")]
        ),
        BarChart(
            id="chart",
            title="A chart",
            description="What it counts.",
            label_heading="Label",
            value_heading="Value",
            bars=[
                Bar(label="Первый", value=3, value_text="3"),
                Bar(label="Second", value=1, value_text="1"),
            ],
            footnote="A chart's footnote.",
        ),
        BarChart(
            id="empty-chart",
            title="An empty chart",
            label_heading="Label",
            value_heading="Value",
            bars=[],
            empty_text="Nothing to show yet.",
        ),
    )
    return document


def test_it_prints_long_cyrillic_text_in_a_pdf_table_without_losing_a_word():
    pdf = read_pdf(render(sample(rows=60), "pdf"))
    text = pdf.text
    assert "Образец" in text and "Беларусь" in text and "Первый" in text
    # Every word of the long cell is printed: it wrapped instead of running off the page.
    assert all(f"слово{n}" in text for n in range(400))
    # The table ran over several pages, its heading row repeated on each.
    pages_with_rows = [page for page in pdf.pages[1:] if "row 5" in page or "row 59" in page]
    assert pages_with_rows
    assert all("Name Text Count" in " ".join(page.split()) for page in pages_with_rows)
    assert len(pdf.pages) >= 3
    assert "Page 2 of" in pdf.pages[1]


def test_it_prints_text_that_looks_like_markup_as_it_is():
    pdf = read_pdf(render(sample(), "pdf"))
    assert "**not bold** __not italic__ -- a∖b [x] (y)" in pdf.text
    word = read_docx(render(sample(), "docx"))
    assert MARKUP_LOOKALIKE in word.paragraphs


def test_it_writes_links_empty_tables_and_charts_in_both_formats():
    pdf = read_pdf(render(sample(), "pdf"))
    word = read_docx(render(sample(), "docx"))
    assert "https://example.org/r?a=%281%29" in pdf.links
    assert "https://example.org/r?a=(1)" in word.links
    assert "https://example.org/second" in pdf.links and "https://example.org/second" in word.links
    for text in (pdf.text, word.text):
        assert "Nothing here." in text
        assert "Nothing to show yet." in text
        assert "A chart's footnote." in text
        assert "Report: https://example.org/r?a=(1)" in text.replace("%28", "(").replace("%29", ")")
    assert pdf.image_count == 1
    assert word.picture_count == 1
    assert ["Первый", "3"] in word.table_with_heading("Label", "Value")


def test_it_uses_word_headings_and_repeats_table_headings():
    word = read_docx(render(sample(), "docx"))
    assert word.headings() == [(0, "Sample report"), (1, "Section one")]
    long_table = next(t for t in word.document.tables if t.rows[0].cells[0].text == "Name")
    heading_row = long_table.rows[0]._tr
    assert heading_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert word.document.core_properties.title == "Sample report"


def test_it_splits_a_long_table_row_at_the_end_of_a_page_instead_of_moving_it():
    # Rows of 150 words each, about a third of a page: fpdf2 alone moved each row that did not
    # fit to the next page, leaving the rest of the page empty.
    words = [f"w{n:04d}" for n in range(1200)]
    rows = [[f"row {n}", " ".join(words[n * 150 : (n + 1) * 150]), str(n)] for n in range(8)]
    document = Document(
        title="Rows",
        subtitle="",
        generated_on=datetime.date(2025, 5, 3),
        generated_label="Generated on 3 May 2025",
        scope="Data scope: published data only",
    )
    document.add(
        Table(columns=[Column("Name", 1), Column("Text", 4), Column("Count", 1)], rows=rows)
    )

    pdf = read_pdf(render(document, "pdf"))

    body = [page for page in pdf.pages[1:] if re.search(r"\bw\d{4}\b", page)]
    printed = [word for page in body for word in page.split() if re.fullmatch(r"w\d{4}", word)]
    assert printed == words  # every word, once, in order
    # Each page but the last ends within a row that continues on the next: the page is used to
    # its end instead of the row moving on whole.
    for page, following in zip(body, body[1:], strict=False):
        last = max(int(word[1:]) for word in page.split() if re.fullmatch(r"w\d{4}", word))
        first = min(int(word[1:]) for word in following.split() if re.fullmatch(r"w\d{4}", word))
        assert first == last + 1
        assert last % 150 != 149, "a page ended exactly at a row's end: nothing was split"
    assert len(body) <= 4
