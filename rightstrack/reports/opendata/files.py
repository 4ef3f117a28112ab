"""Reading the datasets' rows chunk by chunk, their files (CSV and JSON, written by
rightstrack.core.tabular) and the Frictionless data package."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Max
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from rightstrack.audit.models import AuditEntry
from rightstrack.core.tabular import batched, columns_of, download, write_file

from .datasets import DATASETS
from .schema import CHUNK_SIZE, CODE, TYPES, URL, Dataset, read_lists

# Reading


def _plain(value, column_type):
    # No code is an unknown one (null in JSON), not an empty text.
    if column_type == CODE and value == "":
        return None
    return value


def _link_template(link, base_url):
    placeholder = "987654321" if link.kwarg == "pk" else "rightstrack-placeholder"
    path = reverse(link.url_name, kwargs={link.kwarg: placeholder})
    return base_url + path, placeholder


def dataset_rows(dataset, *, base_url=""):
    """Each published row of the dataset as {column name: value}, in id order (dates and
    amounts as read: the writers give them as ISO 8601 and decimal text).

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
    for chunk in batched(values, CHUNK_SIZE):
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


def export_response(dataset, fmt, *, base_url=""):
    """The download of the dataset in ``fmt``, streamed as its rows are read."""
    rows = dataset_rows(dataset, base_url=base_url)
    return download(fmt, columns_of(dataset.column_names), rows, filename=file_name(dataset, fmt))


def export_file(dataset, fmt, path, *, rows, bom=False):
    """Write the rows (see dataset_rows) to ``path`` in ``fmt``; OSError when it cannot."""
    write_file(path, fmt, columns_of(dataset.column_names), rows, bom=bom)


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
