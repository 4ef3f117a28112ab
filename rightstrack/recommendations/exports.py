"""Recommendations out as CSV, XLSX or JSON: the same columns for the page's download buttons,
the ``rightstrack export recommendations`` command and anyone else.

Rows are read with ``iterator(chunk_size=…)`` as plain values, and each chunk's tags and
recommending States with one query each, so an export of the whole table never holds more than
one chunk in memory.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.core.tabular import TableExport, batched, columns_of, formats, register
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
        self._order = {
            term.pk: (term.scheme, term.position, term.code) for term in self.by_id.values()
        }
        self._labels = {}
        self._short_labels = {}

    def order(self, term_id):
        """The sort key of a term: its vocabulary, then its place in it, then its code."""
        return self._order.get(term_id, ("", 0, ""))

    def label(self, term_id):
        if term_id not in self._labels:
            term = self.by_id.get(term_id)
            self._labels[term_id] = term.label if term is not None else ""
        return self._labels[term_id]

    def short_label(self, term_id):
        if term_id not in self._short_labels:
            term = self.by_id.get(term_id)
            self._short_labels[term_id] = term.short_label if term is not None else ""
        return self._short_labels[term_id]


def _related_ids(model, ids, order, **conditions):
    """{recommendation id: [term ids]} of a link table, for one chunk of recommendations, each
    list in the vocabularies' own order (as the pages list them).

    The ids go as one parameter and the terms are put in order here, by ``order`` (term id:
    sort key): sorting in the database would join every link to its term.
    """
    linked = {}
    rows = model.objects.filter(IdIn("recommendation_id", ids), **conditions).order_by()
    for recommendation_id, term_id in rows.values_list("recommendation_id", "term_id"):
        linked.setdefault(recommendation_id, []).append(term_id)
    for term_ids in linked.values():
        if len(term_ids) > 1:
            term_ids.sort(key=order)
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
    placeholder = str(_URL_PLACEHOLDER)
    through = Recommendation.recommending_states.through
    rows = recommendations.values_list(*_VALUE_COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    for chunk in batched(rows, CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        tags = _related_ids(RecommendationTag, ids, names.order, status__in=tag_statuses)
        recommending = _related_ids(through, ids, names.order)
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
            tagged: dict[str, list[str]] = {column: [] for column, _shown in _TAG_COLUMNS.values()}
            for term_id in tags.get(pk, ()):
                term = names.by_id[term_id]
                if term.scheme in _TAG_COLUMNS:
                    column, shown = _TAG_COLUMNS[term.scheme]
                    tagged[column].append(term.code if shown == "code" else names.label(term_id))
            # In the order of COLUMNS.
            yield {
                "id": pk,
                "state": names.label(state_id),
                "mechanism": names.short_label(mechanism_id),
                "document": symbol or "",
                "number": number,
                "date": day.isoformat() if day else "",
                "cycle": cycle,
                "session": session,
                "position": positions.get(position, ""),
                "position_source": position_source,
                "action_category": names.label(action_category_id) if action_category_id else "",
                "recommending_states": [
                    names.label(term_id) for term_id in recommending.get(pk, ())
                ],
                **tagged,
                "text": text,
                "url": url.replace(placeholder, str(pk)),
            }


RECOMMENDATIONS = register(
    TableExport(
        name="recommendations",
        columns=columns_of(COLUMNS),
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
