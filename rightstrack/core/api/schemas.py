"""Shapes the apps' API schemas share.

OpenAPI names a schema by its class name, and ninja keeps one schema per name: two different
classes of one name would silently become one in the document. So a shape used by several apps
is declared once, here.
"""

from collections.abc import Collection
from typing import Annotated, Any, Optional

from ninja import Field, Schema
from pydantic import BaseModel, create_model
from pydantic.fields import FieldInfo


class TermOut(Schema):
    """A term of a vocabulary as other objects show it: its code and its label in the reader's
    language (a taxonomy Term, or anything with ``code`` and ``label``)."""

    code: str
    label: str


class RowOut(BaseModel):
    """A shape the API answers from plain dicts (``values()`` rows, lists looked up for a page),
    never from model instances: pydantic reads a dict in its core, where ninja's ``Schema`` wraps
    every object in a getter that reads each field in Python (1.7 ms of a page of 50 measures
    with their indicators; 0.1 ms this way). The OpenAPI document is the same."""


class ErrorOut(Schema):
    """An error answer, as ninja's HttpError and the API's own handlers write it."""

    detail: str


def partial_schema(base: type[Schema], *, exclude: Collection[str] = ()) -> type[Schema]:
    """``base``'s fields (but ``exclude``), each optional and None when not sent: the input of a
    PATCH, where only the fields sent change. Subclass it to name it and add fields:
    ``class PlanUpdateIn(partial_schema(PlanCreateIn)): ...``."""
    fields: dict[str, Any] = {
        name: (_optional(info), Field(None, description=info.description, alias=info.alias))
        for name, info in base.model_fields.items()
        if name not in exclude
    }
    return create_model(f"Partial{base.__name__}", __base__=Schema, **fields)


def _optional(info: FieldInfo) -> Any:
    # Constraints of a field (``Id``'s bounds) stay on the value, not on its absence.
    annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return Optional[annotation]  # noqa: UP045 - a type built at runtime
