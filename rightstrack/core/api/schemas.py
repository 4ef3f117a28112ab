"""Shapes the apps' API schemas share.

OpenAPI names a schema by its class name, and ninja keeps one schema per name: two different
classes of one name would silently become one in the document. So a shape used by several apps
is declared once, here.
"""

from ninja import Schema


class TermOut(Schema):
    """A term of a vocabulary as other objects show it: its code and its label in the reader's
    language (a taxonomy Term, or anything with ``code`` and ``label``)."""

    code: str
    label: str
