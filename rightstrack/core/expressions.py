"""Hand-written SQL over columns of a query's table, as a Django expression."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Expression, F


class OverColumns(Expression):
    """SQL written by hand around columns of the query's table (``column = ANY(%s)``, a
    full-text match): Django resolves the ``columns`` (relabelled in subqueries and joins), the
    subclass's ``as_sql`` compiles ``self.refs`` and writes the SQL around them."""

    def __init__(self, *columns: str) -> None:
        super().__init__()
        self.refs = [F(column) for column in columns]

    def get_source_expressions(self) -> list[Any]:
        return list(self.refs)

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.refs = list(exprs)
