"""Recommendations out as CSV, XLSX or JSON: the same columns for the page's download buttons,
the ``rightstrack export recommendations`` command and anyone else.

Rows are read with ``iterator(chunk_size=…)``, which also runs the prefetches chunk by chunk, so
an export of the whole table never holds more than one chunk in memory.
"""

import csv
import json
import tempfile
from datetime import date

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from rightstrack.taxonomy.models import Scheme

from .tags import terms_of

CHUNK_SIZE = 2000
LIST_SEPARATOR = "; "

FORMATS = {
    "csv": {"label": _("CSV"), "content_type": "text/csv; charset=utf-8"},
    "xlsx": {
        "label": _("XLSX"),
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    "json": {"label": _("JSON"), "content_type": "application/json"},
}

COLUMNS = (
    "id",
    "state",
    "mechanism",
    "document",
    "number",
    "date",
    "cycle",
    "session",
    "position",
    "position_source",
    "action_category",
    "recommending_states",
    "themes",
    "affected_persons",
    "sdg_targets",
    "upr_info_issues",
    "text",
    "url",
)
LIST_COLUMNS = {
    "recommending_states",
    "themes",
    "affected_persons",
    "sdg_targets",
    "upr_info_issues",
}


def export_row(recommendation, *, base_url=""):
    """One recommendation as {column: value}; lists stay lists (joined only by CSV and XLSX).

    ``recommendation`` comes from ``selectors.recommendation_list``, whose ``visible_tags``
    hold only the tags the reader may see.
    """
    tags = recommendation.visible_tags
    return {
        "id": recommendation.pk,
        "state": recommendation.state.label,
        "mechanism": recommendation.mechanism.short_label,
        "document": recommendation.document.symbol if recommendation.document_id else "",
        "number": recommendation.number,
        "date": recommendation.date.isoformat() if recommendation.date else "",
        "cycle": recommendation.cycle,
        "session": recommendation.session,
        "position": str(recommendation.get_position_display()) if recommendation.position else "",
        "position_source": recommendation.position_source,
        "action_category": (
            recommendation.action_category.label if recommendation.action_category_id else ""
        ),
        "recommending_states": [term.label for term in recommendation.recommending_states.all()],
        "themes": [term.label for term in terms_of(tags, Scheme.UHRI_THEME)],
        "affected_persons": [term.label for term in terms_of(tags, Scheme.AFFECTED_PERSONS)],
        "sdg_targets": [term.code for term in terms_of(tags, Scheme.SDG_TARGET)],
        "upr_info_issues": [term.label for term in terms_of(tags, Scheme.UPR_INFO_ISSUE)],
        "text": recommendation.text,
        "url": f"{base_url}{recommendation.get_absolute_url()}",
    }


def export_rows(recommendations, *, base_url=""):
    for recommendation in recommendations.iterator(chunk_size=CHUNK_SIZE):
        yield export_row(recommendation, base_url=base_url)


def _flat(value):
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return "" if value is None else value


class _Echo:
    """A file-like object whose write returns what it was given, for streaming csv.writer."""

    def write(self, value):
        return value


def csv_chunks(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([_flat(row[column]) for column in COLUMNS])


def json_chunks(rows):
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def _string_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    # Text that starts with "=" stays text: an export must never carry a live formula.
    cell.data_type = "s"
    return cell


def write_xlsx(rows, target):
    """Write the rows to ``target`` (a path or a binary file) as one worksheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Recommendations")))
    sheet.append(list(COLUMNS))
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = _flat(row[column])
            cells.append(_string_cell(sheet, value) if isinstance(value, str) else value)
        sheet.append(cells)
    workbook.save(target)


def file_name(fmt):
    return f"recommendations-{date.today():%Y%m%d}.{fmt}"


def export_response(recommendations, fmt, *, base_url=""):
    """An HTTP download of the recommendations in ``fmt`` (csv, xlsx or json)."""
    rows = export_rows(recommendations, base_url=base_url)
    content_type = FORMATS[fmt]["content_type"]
    if fmt == "xlsx":
        # FileResponse closes the file once it is sent; a with-block would close it too early.
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        write_xlsx(rows, spool)
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=file_name(fmt), content_type=content_type
        )
    chunks = csv_chunks(rows) if fmt == "csv" else json_chunks(rows)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(fmt)}"'
    return response


def export_to_file(rows, fmt, path):
    """Write already-made rows (see export_rows) to ``path`` in ``fmt``."""
    if fmt == "xlsx":
        write_xlsx(rows, path)
        return
    chunks = csv_chunks(rows) if fmt == "csv" else json_chunks(rows)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        for chunk in chunks:
            stream.write(chunk)
