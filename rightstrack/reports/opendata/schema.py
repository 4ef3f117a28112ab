"""How a dataset and its columns are described: types, columns, linked lists."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rightstrack.core.tabular import formats

CHUNK_SIZE = 2000
FORMATS = formats("csv", "json")

# Column types, as the dictionary names them and as Frictionless Table Schema types.
INTEGER = "integer"
DECIMAL = "decimal"
TEXT = "text"
CODE = "code"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
URL = "url"
INTEGER_LIST = "integer-list"
CODE_LIST = "code-list"
TEXT_LIST = "text-list"
TYPES = {
    INTEGER: (_("integer"), "integer"),
    DECIMAL: (_("decimal number (written as text in JSON)"), "number"),
    TEXT: (_("text"), "string"),
    CODE: (_("code"), "string"),
    DATE: (_("date (YYYY-MM-DD)"), "date"),
    DATETIME: (_("date and time (ISO 8601, UTC)"), "datetime"),
    BOOLEAN: (_("true or false"), "boolean"),
    URL: (_("web address"), "string"),
    INTEGER_LIST: (_("list of integers"), "string"),
    CODE_LIST: (_("list of codes"), "string"),
    TEXT_LIST: (_("list of texts"), "string"),
}
LIST_TYPES = {INTEGER_LIST, CODE_LIST, TEXT_LIST}


@dataclass(frozen=True)
class Many:
    """A list column: the ``value`` of each row of ``model`` whose ``owner`` is the row's id.

    ``condition`` (a function returning a Q, so that it is built when the data is read) keeps
    only what the public may see. List columns that differ only in ``split_value`` share one
    query per chunk, split by the ``split_by`` field (the tags of a recommendation, read once
    and split by vocabulary)."""

    model: object
    owner: str
    value: str
    condition: object = None
    order: tuple = ()
    split_by: str = ""
    split_value: str = ""

    @property
    def query_key(self):
        return (self.model, self.owner, self.value, self.condition, self.order, self.split_by)


def read_lists(columns, ids):
    """{column name: {owner id: [values]}} of the list columns for one chunk of rows: one query
    per group of columns sharing a query."""
    groups = {}
    for column in columns:
        groups.setdefault(column.many.query_key, []).append(column)
    lists = {}
    for group in groups.values():
        many = group[0].many
        rows = many.model.objects.filter(**{f"{many.owner}__in": ids})
        if many.condition is not None:
            rows = rows.filter(many.condition())
        fields = (many.owner, many.split_by or many.owner, many.value)
        ordering = (many.owner, *many.order, "pk")
        found = {}
        for owner_id, split, value in rows.order_by(*ordering).values_list(*fields):
            found.setdefault(split if many.split_by else None, {}).setdefault(owner_id, []).append(
                value
            )
        for column in group:
            key = column.many.split_value if many.split_by else None
            lists[column.name] = found.get(key, {})
    return lists


@dataclass(frozen=True)
class Link:
    """A web-address column: the page of the row (``url_name`` reversed with ``kwarg`` set to
    the row's ``source`` value)."""

    url_name: str
    kwarg: str = "pk"
    source: str = "pk"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    # A values() path on the dataset's rows; the column's name when empty.
    source: str = ""
    many: Many | None = None
    link: Link | None = None
    # Values of a choice, listed in the dictionary with their meaning.
    choices: tuple = ()
    # The text exists in several languages, one column per language (*_en, *_ru).
    translatable: bool = False

    @property
    def path(self):
        return self.source or self.name

    @property
    def type_label(self):
        return TYPES[self.type][0]

    @property
    def is_list(self):
        return self.type in LIST_TYPES

    @property
    def choice_list(self):
        return [(value, label) for value, label in self.choices if value != ""]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    source: str
    rows: object  # () -> the published rows (a queryset)
    columns: tuple
    # Columns whose latest value is the dataset's last update; empty: see ``audited``.
    updated_fields: tuple = ("updated_at",)
    # Rows without timestamps: their last change is read from the audit trail.
    audited: bool = False

    def column(self, name):
        return next(column for column in self.columns if column.name == name)

    @property
    def column_names(self):
        return [column.name for column in self.columns]
