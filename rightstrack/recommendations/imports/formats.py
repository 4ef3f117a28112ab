"""The import formats by name: what the command line, the upload page and the API offer."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import ohchr_docx, table, uhri_json, un_wg_report, upr_info


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str | Promise
    # parse(path, *, state, options) -> iterator of RecordDraft and RowError
    parse: Callable
    # count(path) -> number of records, for progress; may raise FileFormatError
    count: Callable


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ImportFormat(
            "upr-info", _("UPR Info database export (CSV)"), upr_info.parse, upr_info.count
        ),
        ImportFormat(
            "uhri-json",
            _("Universal Human Rights Index export (JSON)"),
            uhri_json.parse,
            uhri_json.count,
        ),
        ImportFormat(
            "ohchr-docx",
            _("OHCHR thematic list of recommendations (Word)"),
            ohchr_docx.parse,
            ohchr_docx.count,
        ),
        ImportFormat(
            "un-wg-report",
            _("UPR Working Group report (text)"),
            un_wg_report.parse,
            un_wg_report.count,
        ),
        ImportFormat(
            "table", _("Table with a column mapping (CSV or XLSX)"), table.parse, table.count
        ),
    )
}


# Formats whose batches other apps record through ``service.run_batch`` (progress's follow-up
# grades): {name: label}, filled from those apps' AppConfig.ready(), so that the import history
# can name and filter their batches without this app importing a higher one.
OTHER_BATCH_FORMATS: dict[str, str] = {}


def register_batch_format(name: str, label: str) -> None:
    if name in FORMATS:
        raise ValueError(f"{name} is already an import format of recommendations")
    OTHER_BATCH_FORMATS[name] = label


def format_choices():
    """The recommendation formats: what the upload page, the command and the API import."""
    return [(fmt.name, fmt.label) for fmt in FORMATS.values()]


def batch_format_choices():
    """Every format an import batch may have: the recommendation formats and the others."""
    return [*format_choices(), *OTHER_BATCH_FORMATS.items()]


def batch_format_label(name: str) -> str:
    return dict(batch_format_choices()).get(name, name)
