"""Reading the datasets' rows chunk by chunk and writing them as CSV, JSON and the
Frictionless data package."""

import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Max
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from rightstrack.audit.models import AuditEntry

from .datasets import DATASETS
from .schema import CHUNK_SIZE, CODE, LIST_SEPARATOR, TYPES, URL, Dataset, read_lists

# Reading


def _plain(value, column_type):
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if column_type == CODE and value == "":
        return None
    return value


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _link_template(link, base_url):
    placeholder = "987654321" if link.kwarg == "pk" else "rightstrack-placeholder"
    path = reverse(link.url_name, kwargs={link.kwarg: placeholder})
    return base_url + path, placeholder


def dataset_rows(dataset, *, base_url=""):
    """Each published row of the dataset as {column name: JSON-ready value}, in id order.

    ``base_url`` (e.g. "https://example.org") prefixes the addresses of pages on this site."""
    columns = dataset.columns
    plain = [column for column in columns if column.many is None and column.link is None]
    paths = ["pk", *(column.path for column in plain)]
    links = {
        column.name: (column.link, *_link_template(column.link, base_url))
        for column in columns
        if column.link is not None
    }
    for column in columns:
        if column.link is not None and column.link.source not in paths:
            paths.append(column.link.source)
    index = {path: position for position, path in enumerate(paths)}
    values = dataset.rows().order_by("pk").values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
    for chunk in _chunks(values, CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        lists = read_lists([column for column in columns if column.many], ids)
        for row in chunk:
            result = {}
            for column in columns:
                if column.many is not None:
                    result[column.name] = lists[column.name].get(row[0], [])
                elif column.link is not None:
                    link, template, placeholder = links[column.name]
                    result[column.name] = template.replace(
                        placeholder, str(row[index[link.source]])
                    )
                else:
                    value = row[index[column.path]]
                    if column.is_list:
                        result[column.name] = list(value or [])
                    else:
                        result[column.name] = _plain(value, column.type)
            yield result


def _latest(*values):
    values = [value for value in values if value is not None]
    return max(values) if values else None


def _audited_update(dataset, rows):
    content_type = ContentType.objects.get_for_model(rows.model)
    ids = rows.order_by().annotate(text_id=Cast("pk", CharField())).values("text_id")
    return AuditEntry.objects.filter(content_type=content_type, object_id__in=ids).aggregate(
        latest=Max("at")
    )["latest"]


@dataclass(frozen=True)
class DatasetSummary:
    dataset: Dataset
    row_count: int
    last_updated: object  # a datetime, or None when unknown


def dataset_summary(dataset):
    """How many published rows the dataset has and when they last changed."""
    rows = dataset.rows()
    # A latest value read across a relation joins it, which repeats rows: count them once.
    joined = any(not isinstance(name, str) for name in dataset.updated_fields)
    aggregates = {"rows": Count("pk", distinct=joined)}
    for position, name in enumerate(dataset.updated_fields):
        aggregates[f"updated_{position}"] = Max(name) if isinstance(name, str) else name
    found = rows.order_by().aggregate(**aggregates)
    latest = _latest(
        *(found[f"updated_{position}"] for position in range(len(dataset.updated_fields)))
    )
    if dataset.audited and found["rows"]:
        latest = _latest(latest, _audited_update(dataset, rows))
    return DatasetSummary(dataset=dataset, row_count=found["rows"], last_updated=latest)


def dataset_summaries():
    return [dataset_summary(dataset) for dataset in DATASETS]


# Writing


def file_name(dataset, fmt, *, day=None):
    day = day or timezone.localdate()
    return f"rightstrack-{dataset.slug}-{day:%Y-%m-%d}.{fmt}"


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


class _Echo:
    """A file-like object whose write returns what it was given, for a streaming csv.writer."""

    def write(self, value):
        return value


def csv_chunks(dataset, rows):
    """The dataset as CSV (RFC 4180: comma, double quotes, CRLF) text, a row at a time, with a
    header row of the column names."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    names = dataset.column_names
    yield writer.writerow(names)
    for row in rows:
        yield writer.writerow([_csv_cell(row[name]) for name in names])


def json_chunks(dataset, rows):
    """The dataset as one JSON array of objects, written a row at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


WRITERS = {"csv": csv_chunks, "json": json_chunks}


def export_chunks(dataset, fmt, *, base_url="", rows=None):
    """Text chunks of the dataset in ``fmt`` (csv or json)."""
    rows = dataset_rows(dataset, base_url=base_url) if rows is None else rows
    return WRITERS[fmt](dataset, rows)


# The Frictionless Data package: the dictionary, machine-readable.


def data_package(*, base_url=""):
    """A Frictionless ``datapackage.json`` describing every dataset's CSV download."""
    resources = []
    for dataset in DATASETS:
        fields = []
        for column in dataset.columns:
            described = {
                "name": column.name,
                "type": TYPES[column.type][1],
                "description": str(column.description),
            }
            if column.type == URL:
                described["format"] = "uri"
            if column.choice_list:
                described["constraints"] = {"enum": [value for value, _label in column.choice_list]}
            fields.append(described)
        resources.append(
            {
                "name": dataset.slug,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": base_url
                + reverse("portal:download", kwargs={"dataset": dataset.slug, "fmt": "csv"}),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "sources": [{"title": str(dataset.source)}],
                "schema": {"fields": fields, "primaryKey": "id", "missingValues": [""]},
            }
        )
    return {
        "profile": "data-package",
        "name": "rightstrack",
        "title": "rightstrack open data",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "created": timezone.now().isoformat(),
        "resources": resources,
    }
