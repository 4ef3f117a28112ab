"""The recommendations a text search matches, read once per request and handed to the rest.

A full-text query narrows 250,000 recommendations to some hundreds or thousands. Reading their
ids, with the columns the facets count, in one query lets the count and those facets come from
memory, and lets the tag facets and the relevance ranking take the ids as one parameter instead
of running the search again and looking up every matching row to check it is published.
"""

import json
from collections import Counter
from operator import itemgetter

from django.db.models import BooleanField

from rightstrack.core.expressions import OverColumns

# The recommendation's own columns that facets count.
FACET_COLUMNS = (
    "state_id",
    "mechanism_id",
    "cycle",
    "session",
    "position",
    "action_category_id",
)


class IdIn(OverColumns):
    """``WHERE`` condition: a column is one of many ids, sent as a single parameter (a JSON
    array on SQLite, an array on PostgreSQL) so no limit on the number of parameters applies."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, ids):
        super().__init__(column)
        self.ids = list(ids)

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.refs[0])
        if connection.vendor == "postgresql":
            return f"{column_sql} = ANY(%s)", (*params, self.ids)
        # Only a compiled column name goes into the SQL; the ids are one bound parameter.
        sql = f"{column_sql} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, (*params, json.dumps(self.ids))


class MatchingSet:
    """The ids (and facet columns) of the recommendations a filtered search matches."""

    def __init__(self, rows):
        self.rows = rows
        self.ids = [row[0] for row in rows]
        self._id_set = None

    @classmethod
    def read(cls, recommendations):
        return cls(list(recommendations.order_by().values_list("id", *FACET_COLUMNS)))

    def __len__(self):
        return len(self.rows)

    def __contains__(self, pk):
        if self._id_set is None:
            self._id_set = set(self.ids)
        return pk in self._id_set

    def condition(self, column="id"):
        return IdIn(column, self.ids)

    def column_counts(self, columns):
        """{column: {value: count}} for facet columns, counted in memory."""
        # One pass per column in C (Counter over itemgetter), not a Python loop over every
        # row and column: 5 ms instead of 50 for the 17,000 matches of a common word.
        return {
            column: dict(Counter(map(itemgetter(FACET_COLUMNS.index(column) + 1), self.rows)))
            for column in columns
        }
