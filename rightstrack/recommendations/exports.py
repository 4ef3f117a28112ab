"""Recommendations out as CSV, XLSX or JSON: the same columns for the page's download buttons,
the ``rightstrack export recommendations`` command and anyone else.

Rows are read a chunk at a time as the database gives them, and each chunk's tags and
recommending States with one query each, so an export of the whole table never holds more than
one chunk in memory; they are tuples in the order of the columns, which the CSV writer writes a
batch at a time.
"""

from itertools import chain, groupby
from operator import itemgetter

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.core.tabular import TableExport, formats, positional_columns, register
from rightstrack.taxonomy.models import Scheme, Term

from .matching import IdIn
from .models import Position, Recommendation, RecommendationTag

# Recommendations read at a time, with one query per chunk for their tags and one for their
# recommending States (the chunk's ids sent as one parameter).
CHUNK_SIZE = 10_000

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
    """What the export shows of each term, read once for the whole export in the current
    language: labels, short labels, sort keys, and which column a tag's term fills."""

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
        self.labels = {}
        self.short_labels = {}
        # {term id: (index of its column among the tag columns, what it shows)}
        self.tag_cells = {}
        tag_columns = list(_TAG_COLUMNS)
        terms = sorted(terms, key=lambda term: (term.scheme, term.position, term.code))
        # {term id: its place among all terms: vocabulary, then place in it, then code}
        self.rank = {term.pk: place for place, term in enumerate(terms)}
        for term in terms:
            self.labels[term.pk] = term.label
            self.short_labels[term.pk] = term.short_label
            if term.scheme in _TAG_COLUMNS:
                _column, shown = _TAG_COLUMNS[term.scheme]
                self.tag_cells[term.pk] = (
                    tag_columns.index(term.scheme),
                    term.code if shown == "code" else term.label,
                )


def _raw_rows(queryset, *, chunked=False):
    """The rows of a ``values_list`` queryset in chunks, as the database gives them: no
    conversion per value; ``chunked``: on PostgreSQL through a server-side cursor, as
    ``iterator()`` reads, so that a large result is never held whole."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    return compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=CHUNK_SIZE) or ()


def _related_ids(model, ids, rank, **conditions):
    """{recommendation id: [term ids]} of a link table, for one chunk of recommendations, each
    list in the vocabularies' own order (as the pages list them).

    The ids go as one parameter and the terms are put in order here, by ``rank`` (term id:
    place): sorting in the database would join every link to its term.
    """
    order = rank.__getitem__
    second = itemgetter(1)
    rows = (
        model.objects.filter(IdIn("recommendation_id", ids), **conditions)
        .order_by("recommendation_id")
        .values_list("recommendation_id", "term_id")
    )
    linked = {}
    links = chain.from_iterable(_raw_rows(rows))
    for recommendation_id, its_links in groupby(links, key=itemgetter(0)):
        term_ids = list(map(second, its_links))
        if len(term_ids) > 1:
            term_ids.sort(key=order)
        linked[recommendation_id] = term_ids
    return linked


def _value_chunks(recommendations):
    """The rows of ``_VALUE_COLUMNS``, CHUNK_SIZE at a time, as the database gives them (see
    _raw_rows). SQLite gives the date as its ISO text (not parsed into a date to be written
    back as text); PostgreSQL as a date, which export_rows writes."""
    columns = list(_VALUE_COLUMNS)
    if recommendations.db and connections[recommendations.db].vendor == "sqlite":
        recommendations = recommendations.annotate(_day=Cast("date", CharField()))
        columns[columns.index("date")] = "_day"
    width = len(columns)
    for chunk in _raw_rows(recommendations.values_list(*columns), chunked=True):
        # A column ordered by but not exported (a search's rank) comes after the values.
        yield chunk if not chunk or len(chunk[0]) == width else [row[:width] for row in chunk]


def export_rows(recommendations, *, tag_statuses, base_url=""):
    """Each recommendation of the sorted queryset as a tuple of the values of COLUMNS, in
    order; lists stay lists (CSV and XLSX join them). Only tags in ``tag_statuses`` (those the
    reader may see) are exported.

    Rows are read as the database gives them, chunk by chunk, with the tags and recommending
    States of a chunk in one query each and term names from memory: an export of the whole
    table neither builds an object per row or value nor holds more than a chunk.
    """
    names = _TermNames()
    labels = names.labels
    label_of = labels.__getitem__  # every term is read: a link's term is one of them
    short_labels = names.short_labels
    tag_cells = names.tag_cells
    positions = {value: str(label) for value, label in Position.choices if value}
    url = base_url + reverse("recommendations:detail", kwargs={"pk": _URL_PLACEHOLDER})
    url_head, _placeholder, url_tail = url.partition(str(_URL_PLACEHOLDER))
    through = Recommendation.recommending_states.through
    no_terms = ()
    for chunk in _value_chunks(recommendations):
        ids = [row[0] for row in chunk]
        tags = _related_ids(RecommendationTag, ids, names.rank, status__in=tag_statuses)
        recommending = _related_ids(through, ids, names.rank)
        for (
            pk,
            state_id,
            mechanism_id,
            symbol,
            number,
            day,
            cycle,
            session,
            position,
            position_source,
            action_category_id,
            text,
        ) in chunk:
            tagged: tuple[list[str], ...] = ([], [], [], [])
            for term_id in tags.get(pk, no_terms):
                cell = tag_cells.get(term_id)
                if cell is not None:
                    tagged[cell[0]].append(cell[1])
            if day is not None and not isinstance(day, str):
                day = day.isoformat()
            # In the order of COLUMNS.
            yield (
                pk,
                labels.get(state_id, ""),
                short_labels.get(mechanism_id, ""),
                symbol or "",
                number,
                day or "",
                cycle,
                session,
                positions.get(position, ""),
                position_source,
                labels.get(action_category_id, "") if action_category_id else "",
                list(map(label_of, recommending.get(pk, no_terms))),
                *tagged,
                text,
                f"{url_head}{pk}{url_tail}",
            )


RECOMMENDATIONS = register(
    TableExport(
        name="recommendations",
        columns=positional_columns(COLUMNS),
        formats=formats("csv", "xlsx", "json"),
        file_name="recommendations-{day:%Y%m%d}.{fmt}",
        sheet_title=_("Recommendations"),
    )
)
FORMATS = RECOMMENDATIONS.formats


def export_response(recommendations, fmt, *, tag_statuses, base_url=""):
    """An HTTP download of the recommendations in ``fmt`` (csv, xlsx or json)."""
    rows = export_rows(recommendations, tag_statuses=tag_statuses, base_url=base_url)
    return RECOMMENDATIONS.response(fmt, rows)
