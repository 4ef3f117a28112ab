"""The import formats by name: what the command line, the upload page and the API offer."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import ohchr_docx, table, uhri_json, un_wg_report, upr_info


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str
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


def format_choices():
    return [(fmt.name, fmt.label) for fmt in FORMATS.values()]
