"""The import formats by name: what the command line, the upload page and the API offer.

``AUTOMATIC`` ("auto") is no format of its own: :func:`detect_format` asks each format's
``sniff`` whether a file is of its kind, in the order of ``FORMATS`` (the generic table last),
and answers the first that says yes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from rightstrack.core.intake import FileProbe, probe

from ..models import SourceKind
from . import ohchr_docx, table, uhri_json, un_wg_addendum, un_wg_report, upr_info
from .records import FileFormatError

AUTOMATIC = "auto"


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str | Promise
    # parse(path, *, state, options) -> iterator of RecordDraft and RowError
    parse: Callable
    # count(path, *, options) -> number of records, for progress; may raise FileFormatError
    count: Callable
    # sniff(probe: core.intake.FileProbe) -> bool: whether the file is of this format, judged
    # from its content (zip members, JSON shape, table header, report text), never its name.
    sniff: Callable[[FileProbe], bool] | None = None
    # The kind of source its records are (models.SourceKind); "" when the document says.
    source_kind: str = ""


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ImportFormat(
            "upr-info",
            _("UPR Info database export (CSV)"),
            upr_info.parse,
            upr_info.count,
            upr_info.sniff,
            SourceKind.DATABASE_EXPORT,
        ),
        ImportFormat(
            "uhri-json",
            _("Universal Human Rights Index export (JSON)"),
            uhri_json.parse,
            uhri_json.count,
            uhri_json.sniff,
            SourceKind.DATABASE_EXPORT,
        ),
        ImportFormat(
            "ohchr-docx",
            _("OHCHR thematic list of recommendations (Word)"),
            ohchr_docx.parse,
            ohchr_docx.count,
            ohchr_docx.sniff,
            SourceKind.THEMATIC_LIST,
        ),
        ImportFormat(
            "un-wg-report",
            _("UPR Working Group report (PDF, Word or text)"),
            un_wg_report.parse,
            un_wg_report.count,
            un_wg_report.sniff,
            SourceKind.UN_DOCUMENT,
        ),
        ImportFormat(
            "un-wg-addendum",
            _("Addendum to a UPR Working Group report: the State's responses (PDF, Word or text)"),
            un_wg_addendum.parse,
            un_wg_addendum.count,
            un_wg_addendum.sniff,
        ),
        # The generic table comes last: any table with a header is one.
        ImportFormat(
            "table",
            _("Table with a column mapping (CSV or XLSX)"),
            table.parse,
            table.count,
            table.sniff,
        ),
    )
}


# Formats whose batches other apps record through ``service.run_batch`` (progress's follow-up
# grades): {name: label}, filled from those apps' AppConfig.ready(), so that the import history
# can name and filter their batches without this app importing a higher one.
OTHER_BATCH_FORMATS: dict[str, str] = {}
# Of those whose batches run as jobs of their own kind: {format: (job kind, the URL name of the
# batch's page, which takes its ``pk``)}, for the progress of a batch and the page it reloads.
BATCH_JOBS: dict[str, tuple[str, str]] = {}


def register_batch_format(name: str, label: str, *, job_kind: str = "", page: str = "") -> None:
    if name in FORMATS:
        raise ValueError(f"{name} is already an import format of recommendations")
    OTHER_BATCH_FORMATS[name] = label
    if job_kind:
        BATCH_JOBS[name] = (job_kind, page or "recommendations:import-batch")


def format_choices():
    """The recommendation formats: what the upload page, the command and the API import."""
    return [(fmt.name, fmt.label) for fmt in FORMATS.values()]


def detect_format(path: Path) -> ImportFormat:
    """The format of a file, recognised from its content; FileFormatError saying what was
    seen when no format recognises it (or a limit's refusal, see core.intake.probe)."""
    seen = probe(Path(path))
    for fmt in FORMATS.values():
        if fmt.sniff is not None and fmt.sniff(seen):
            return fmt
    raise FileFormatError(
        _gettext(
            "No import format recognises this file (seen: %(seen)s). Choose the format, or "
            "check that this is a file of recommendations."
        )
        % {"seen": seen.describe()}
    )


def batch_format_choices():
    """Every format an import batch may have: the recommendation formats and the others."""
    return [*format_choices(), *OTHER_BATCH_FORMATS.items()]


def batch_format_label(name: str) -> str:
    return dict(batch_format_choices()).get(name, name)
