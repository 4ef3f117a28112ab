"""The formats a document is written in: one writer each, the same content in all."""

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str
    # The writer, "module:function" (document -> bytes): python-docx and fpdf2 load when a
    # document is written, not in every web process at start.
    writer: str

    def render(self, document):
        module, function = self.writer.split(":")
        return getattr(import_module(module, __package__), function)(document)


FORMATS = {
    "docx": Format(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx:render_docx",
    ),
    "pdf": Format("pdf", "pdf", "application/pdf", ".pdf:render_pdf"),
}
FORMAT_KEYS = tuple(FORMATS)


def render(document, fmt):
    """The file of ``document`` in format ``fmt`` ("docx" or "pdf"), as bytes."""
    return FORMATS[fmt].render(document)
