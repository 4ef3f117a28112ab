"""Activities as CSV, XLSX and JSON: one row per activity, the same columns in every format.

Unknown numbers stay unknown: an empty cell in CSV and XLSX, null in JSON. Lists (partners,
pillars, …) are arrays in JSON and "; "-separated in CSV and XLSX.
"""

import csv
import io
import json
import sys

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from tqdm import tqdm

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = (
    "id",
    "presence",
    "type",
    "title",
    "description",
    "start_date",
    "end_date",
    "place",
    "partners",
    "donors",
    "target_populations",
    "target_affected_persons",
    "thematic_pillars",
    "participants_total",
    "participants_women",
    "participants_men",
    "participants_with_disabilities",
    "outputs",
    "outcomes",
    "cost_amount",
    "cost_currency",
    "recommendation_ids",
    "measure_ids",
    "is_published",
)
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500


def activity_row(activity):
    """{column: value}; values are JSON-ready (lists, None for unknown)."""
    return {
        "id": activity.pk,
        "presence": activity.presence.slug,
        "type": activity.type,
        "title": activity.title,
        "description": activity.description,
        "start_date": activity.start_date.isoformat() if activity.start_date else None,
        "end_date": activity.end_date.isoformat() if activity.end_date else None,
        "place": activity.place,
        "partners": [organization.name for organization in activity.partners.all()],
        "donors": [organization.name for organization in activity.donors.all()],
        "target_populations": [term.code for term in activity.target_populations.all()],
        "target_affected_persons": [term.code for term in activity.target_affected_persons.all()],
        "thematic_pillars": [term.code for term in activity.thematic_pillars.all()],
        "participants_total": activity.participants_total,
        "participants_women": activity.participants_women,
        "participants_men": activity.participants_men,
        "participants_with_disabilities": activity.participants_with_disabilities,
        "outputs": activity.outputs,
        "outcomes": activity.outcomes,
        "cost_amount": str(activity.cost_amount) if activity.cost_amount is not None else None,
        "cost_currency": activity.cost_currency if activity.cost_amount is not None else None,
        "recommendation_ids": [item.pk for item in activity.recommendations.all()],
        "measure_ids": [item.pk for item in activity.measures.all()],
        "is_published": activity.is_published,
    }


def _flat(value):
    """A value for a spreadsheet cell: lists joined, None kept empty, formulas defused."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _rows(activities, progress=False):
    # iterator() with a chunk size keeps memory flat and still runs the prefetches per chunk.
    total = activities.count() if progress else None
    items = activities.iterator(chunk_size=CHUNK_SIZE)
    for activity in tqdm(
        items, total=total, desc="activities", unit="row", file=sys.stderr, disable=not progress
    ):
        yield activity_row(activity)


def write_csv(activities, stream, *, progress=False):
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for row in _rows(activities, progress):
        writer.writerow(["" if row[c] is None else _flat(row[c]) for c in COLUMNS])


def write_xlsx(activities, stream, *, progress=False):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("activities")
    sheet.append(COLUMNS)
    for row in _rows(activities, progress):
        sheet.append([_flat(row[column]) for column in COLUMNS])
    workbook.save(stream)


def write_json(activities, stream, *, progress=False):
    stream.write('{"columns": ')
    stream.write(json.dumps(COLUMNS))
    stream.write(', "activities": [')
    for index, row in enumerate(_rows(activities, progress)):
        stream.write(",\n" if index else "\n")
        stream.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
    stream.write("\n]}\n")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}
BINARY = {"xlsx"}


def write_export(activities, *, format, path, progress=False):
    """Write the activities to a file at path in the given format."""
    if format in BINARY:
        with open(path, "wb") as stream:
            WRITERS[format](activities, stream, progress=progress)
    else:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            WRITERS[format](activities, stream, progress=progress)


def export_response(activities, *, format):
    """A download of the activities in the given format."""
    if format in BINARY:
        buffer = io.BytesIO()
        WRITERS[format](activities, buffer)
        content = buffer.getvalue()
    else:
        buffer = io.StringIO(newline="")
        WRITERS[format](activities, buffer)
        content = buffer.getvalue().encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.{format}"'
    return response
