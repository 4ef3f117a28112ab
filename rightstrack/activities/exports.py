"""Activities as CSV, XLSX and JSON: one row per activity, the same columns in every format.

Unknown numbers stay unknown: an empty cell in CSV and XLSX, null in JSON. Lists (partners,
pillars, …) are arrays in JSON and "; "-separated in CSV and XLSX (see rightstrack.core.tabular).
"""

from rightstrack.core.tabular import TableExport, columns_of, formats, register

from .services import PAGE_FIELDS

COLUMNS = ("id", *PAGE_FIELDS, "recommendation_ids", "measure_ids", "is_published")
CHUNK_SIZE = 500


def activity_row(activity):
    """{column: value}: lists, None for unknown; dates and amounts as they are (the writers
    give them as ISO dates and decimal text)."""
    return {
        "id": activity.pk,
        "presence": activity.presence.slug,
        "type": activity.type,
        "title": activity.title,
        "description": activity.description,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
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
        "cost_amount": activity.cost_amount,
        "cost_currency": activity.cost_currency if activity.cost_amount is not None else None,
        "recommendation_ids": [item.pk for item in activity.recommendations.all()],
        "measure_ids": [item.pk for item in activity.measures.all()],
        "is_published": activity.is_published,
    }


def export_rows(activities):
    """Each activity of the queryset as {column: value}, read in chunks: iterator() with a chunk
    size keeps memory flat and still runs the prefetches per chunk."""
    for activity in activities.iterator(chunk_size=CHUNK_SIZE):
        yield activity_row(activity)


ACTIVITIES = register(
    TableExport(
        name="activities",
        columns=columns_of(COLUMNS),
        formats=formats("csv", "xlsx", "json"),
        file_name="activities-{day:%Y-%m-%d}.{fmt}",
        sheet_title="activities",
    )
)
FORMATS = ACTIVITIES.formats


def export_response(activities, *, format):
    """A download of the activities in the given format."""
    return ACTIVITIES.response(format, export_rows(activities))
