"""Open data: every published dataset, defined once.

Each :class:`Dataset` names its rows (published ones only, through the other apps' selectors with
an anonymous reader) and its :class:`Column` s: name, type, description, where the value comes
from. The data dictionary on /open-data/, the CSV and JSON downloads, the Frictionless
``datapackage.json`` and the ``export-open-data`` command all read the same definitions, so the
files always have exactly the columns the dictionary describes.

Rows are read chunk by chunk as plain values (``values_list(...).iterator()``), with each
chunk's list columns (tags, agencies, linked records) read in one query per column, so a
download of 250,000 recommendations never holds more than one chunk in memory. List columns only
ever hold published records: a measure's recommendations are the published ones, an activity's
measures those of published plans, a recommendation's themes its accepted tags.

Values are language-neutral: codes of vocabulary terms (their labels are in the ``terms``
dataset, in English and Russian), choice values as stored (the dictionary lists their meaning),
dates in ISO 8601, amounts as decimal text. In CSV an empty cell is an unknown value, a list
is joined with "; " and a text a spreadsheet would run as a formula gets a single quote before
it (rightstrack.core.tabular, as every CSV the product writes); in JSON unknown is null, a list
is an array and every value is as stored.
"""

from rightstrack.core.tabular import LIST_SEPARATOR

from .datasets import DATASETS, DATASETS_BY_SLUG, dataset_get
from .files import (
    data_package,
    dataset_rows,
    dataset_summaries,
    dataset_summary,
    export_file,
    export_response,
    file_name,
)
from .schema import FORMATS

__all__ = [
    "DATASETS",
    "DATASETS_BY_SLUG",
    "FORMATS",
    "LIST_SEPARATOR",
    "data_package",
    "dataset_get",
    "dataset_rows",
    "dataset_summaries",
    "dataset_summary",
    "export_file",
    "export_response",
    "file_name",
]
