"""The formats a document is written in: one writer each, the same content in all."""

from dataclasses import dataclass

from . import docx, pdf


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str
    render: object  # document -> bytes


FORMATS = {
    "docx": Format("docx", "docx", docx.CONTENT_TYPE, docx.render_docx),
    "pdf": Format("pdf", "pdf", pdf.CONTENT_TYPE, pdf.render_pdf),
}
FORMAT_KEYS = tuple(FORMATS)


def render(document, fmt):
    """The file of ``document`` in format ``fmt`` ("docx" or "pdf"), as bytes."""
    return FORMATS[fmt].render(document)
