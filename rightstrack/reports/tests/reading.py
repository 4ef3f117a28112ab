"""Reading generated files back, as a reader would: the Word file with python-docx, the PDF's
text and links with pypdf."""

import io
from dataclasses import dataclass

import docx
from pypdf import PdfReader


def _squash(text):
    return " ".join(text.split())


@dataclass
class WordFile:
    document: object

    @property
    def paragraphs(self):
        return [paragraph.text for paragraph in self.document.paragraphs]

    def headings(self, level=None):
        """[(level, text)] of the paragraphs in Word heading styles (0 = Title)."""
        found = []
        for paragraph in self.document.paragraphs:
            name = paragraph.style.name
            if name == "Title":
                found.append((0, paragraph.text))
            elif name.startswith("Heading "):
                found.append((int(name.split()[1]), paragraph.text))
        return [item for item in found if level is None or item[0] == level]

    @property
    def tables(self):
        """Each table as a list of rows, each a list of cell texts."""
        return [
            [[cell.text for cell in row.cells] for row in table.rows]
            for table in self.document.tables
        ]

    @property
    def rows(self):
        """The rows of every table (key/value lists are tables of two columns)."""
        return [row for table in self.tables for row in table]

    def table_with_heading(self, *headings):
        for table in self.tables:
            if table and all(heading in table[0] for heading in headings):
                return table
        raise AssertionError(f"no table headed {headings}")

    @property
    def text(self):
        parts = list(self.paragraphs)
        for table in self.tables:
            for row in table:
                parts.extend(row)
        return _squash("\n".join(parts))

    @property
    def links(self):
        return {
            relation.target_ref
            for relation in self.document.part.rels.values()
            if relation.reltype.endswith("/hyperlink")
        }

    @property
    def picture_count(self):
        return len(self.document.inline_shapes)

    @property
    def footer_fields(self):
        xml = self.document.sections[0].footer._element.xml
        return [field for field in ("PAGE", "NUMPAGES") if f">{field}<" in xml]


def read_docx(content):
    return WordFile(docx.Document(io.BytesIO(content)))


@dataclass
class PdfFile:
    reader: object

    @property
    def pages(self):
        return [page.extract_text() for page in self.reader.pages]

    @property
    def text(self):
        return _squash("\n".join(self.pages))

    @property
    def links(self):
        found = set()
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action and "/URI" in action:
                    found.add(str(action["/URI"]))
        return found

    @property
    def image_count(self):
        return sum(len(page.images) for page in self.reader.pages)


def read_pdf(content):
    assert content.startswith(b"%PDF-")
    return PdfFile(PdfReader(io.BytesIO(content)))
