"""Recommendations out as CSV, XLSX or JSON: the same columns for the page's download buttons,
the ``rightstrack export recommendations`` command and anyone else.

Rows are read with ``iterator(chunk_size=…)`` as plain values, and each chunk's tags and
recommending States with one query each, so an export of the whole table never holds more than
one chunk in memory.
"""

import csv
import json
import tempfile
from datetime import date
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from rightstrack.taxonomy.models import Scheme, Term

from .models import Position, Recommendation, RecommendationTag

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


_VALUE_COLUMNS = (
    "id",
    "state_id",
    "mechanism_id",
    "document__symbol",
    "number",
    "date",
    "cycle",
    "session",
    "position",
    "position_source",
    "action_category_id",
    "text",
)
# Which tag vocabulary fills which column, and whether the term shows its code or its label.
_TAG_COLUMNS = {
    Scheme.UHRI_THEME: ("themes", "label"),
    Scheme.AFFECTED_PERSONS: ("affected_persons", "label"),
    Scheme.SDG_TARGET: ("sdg_targets", "code"),
    Scheme.UPR_INFO_ISSUE: ("upr_info_issues", "label"),
}
_URL_PLACEHOLDER = 987654321


class _TermNames:
    """Labels of terms by id, read once for the whole export in the current language."""

    def __init__(self):
        terms = Term.objects.only(
            "scheme",
            "code",
            "label_en",
            "label_ru",
            "short_label_en",
            "short_label_ru",
            "position",
        )
        self.by_id = {term.pk: term for term in terms}
        self._labels = {}

    def label(self, term_id):
        if term_id not in self._labels:
            term = self.by_id.get(term_id)
            self._labels[term_id] = term.label if term is not None else ""
        return self._labels[term_id]

    def in_order(self, term_ids):
        """Term ids in the vocabularies' own order, as the pages list them."""
        known = [term_id for term_id in term_ids if term_id in self.by_id]
        return sorted(
            known,
            key=lambda term_id: (
                self.by_id[term_id].scheme,
                self.by_id[term_id].position,
                self.by_id[term_id].code,
            ),
        )

    def short_label(self, term_id):
        term = self.by_id.get(term_id)
        return term.short_label if term is not None else ""


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _related_ids(model, ids, **conditions):
    """{recommendation id: [term ids]} of a link table, for one chunk of recommendations."""
    linked = {}
    rows = model.objects.filter(recommendation_id__in=ids, **conditions)
    for recommendation_id, term_id in rows.order_by("id").values_list(
        "recommendation_id", "term_id"
    ):
        linked.setdefault(recommendation_id, []).append(term_id)
    return linked


def export_rows(recommendations, *, tag_statuses, base_url=""):
    """Each recommendation of the sorted queryset as {column: value}; lists stay lists (CSV and
    XLSX join them). Only tags in ``tag_statuses`` (those the reader may see) are exported.

    Rows are read as plain values, chunk by chunk, with the tags and recommending States of a
    chunk in one query each and term names from memory: an export of the whole table neither
    builds a model object per value nor holds more than a chunk.
    """
    names = _TermNames()
    positions = {value: str(label) for value, label in Position.choices if value}
    url = base_url + reverse("recommendations:detail", kwargs={"pk": _URL_PLACEHOLDER})
    through = Recommendation.recommending_states.through
    rows = recommendations.values_list(*_VALUE_COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    for chunk in _chunks(rows, CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        tags = _related_ids(RecommendationTag, ids, status__in=tag_statuses)
        recommending = _related_ids(through, ids)
        for values in chunk:
            row = dict(zip(_VALUE_COLUMNS, values, strict=True))
            pk = row["id"]
            exported = {
                "id": pk,
                "state": names.label(row["state_id"]),
                "mechanism": names.short_label(row["mechanism_id"]),
                "document": row["document__symbol"] or "",
                "number": row["number"],
                "date": row["date"].isoformat() if row["date"] else "",
                "cycle": row["cycle"],
                "session": row["session"],
                "position": positions.get(row["position"], ""),
                "position_source": row["position_source"],
                "action_category": names.label(row["action_category_id"])
                if row["action_category_id"]
                else "",
                "recommending_states": [
                    names.label(term_id) for term_id in names.in_order(recommending.get(pk, ()))
                ],
                **{column: [] for column, _shown in _TAG_COLUMNS.values()},
                "text": row["text"],
                "url": url.replace(str(_URL_PLACEHOLDER), str(pk)),
            }
            for term_id in names.in_order(tags.get(pk, ())):
                term = names.by_id[term_id]
                if term.scheme in _TAG_COLUMNS:
                    column, shown = _TAG_COLUMNS[term.scheme]
                    value = term.code if shown == "code" else names.label(term_id)
                    exported[column].append(value)
            yield {column: exported[column] for column in COLUMNS}


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


def export_response(recommendations, fmt, *, tag_statuses, base_url=""):
    """An HTTP download of the recommendations in ``fmt`` (csv, xlsx or json)."""
    rows = export_rows(recommendations, tag_statuses=tag_statuses, base_url=base_url)
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
