"""The columns of an action plan's template: what the header says in each language, what a
cell holds, and how a header a person wrote is matched to a column.

The same columns make the downloadable template, the export of a plan into it, the
instructions sheet and the reading of a filled-in spreadsheet or Word table.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import ReportingFrequency

DATE_HELP = _("A date as YYYY-MM-DD (2025-12-31) or DD.MM.YYYY, or a date cell.")


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    header: Promise
    help: Promise
    allowed: Promise | str = ""
    required: bool = False
    # Written by the export for reading, never imported.
    read_only: bool = False


MEASURE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "number",
        _("Measure number"),
        _(
            "The measure's number in the plan, e.g. 1.2. It identifies the measure: importing a "
            "file again updates the measures with these numbers and adds the others."
        ),
        required=True,
    ),
    TemplateColumn("title", _("Title"), _("What will be done, in one line."), required=True),
    TemplateColumn("description", _("Description"), _("More about the measure (optional).")),
    TemplateColumn(
        "responsible_agencies",
        _("Responsible agencies"),
        _(
            "The government agencies responsible, by code or by name as in the agency list "
            "below, separated by semicolons. Unknown names are proposed as new agencies, "
            "created only if an administrator confirms."
        ),
        _("codes or names of agencies (list below)"),
    ),
    TemplateColumn(
        "partners",
        _("Partners"),
        _("The partners who take part (UN agencies, NGOs, …), as free text."),
    ),
    TemplateColumn("start_date", _("Start date"), DATE_HELP),
    TemplateColumn(
        "due_date", _("Due date"), _("When the measure must be done; not before its start.")
    ),
    TemplateColumn("budget_amount", _("Budget"), _("The amount, e.g. 25000 or 25 000.50.")),
    TemplateColumn(
        "budget_currency",
        _("Currency"),
        _("The currency of the budget, required with an amount."),
        _("a three-letter code: USD, EUR, BYN, …"),
    ),
    TemplateColumn("budget_source", _("Budget source"), _("Where the money comes from.")),
    TemplateColumn(
        "recommendations",
        _("Recommendations answered"),
        _(
            "The recommendations the measure answers, separated by semicolons: the document "
            "symbol and the number (A/HRC/15/16 98.16), the Universal Human Rights Index id "
            "(uhri:…), or the recommendation's id in rightstrack (#1234). They must be "
            "recommendations made to the plan's State. The list replaces the measure's links."
        ),
        "A/HRC/15/16 98.16; uhri:…; #1234",
    ),
    TemplateColumn(
        "status",
        _("Status (from progress reports)"),
        _(
            "Written by the export for reading only: a measure's status comes from its approved "
            "progress reports and is not imported."
        ),
        read_only=True,
    ),
)

INDICATOR_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "measure",
        _("Measure number"),
        _("The number of the measure the indicator belongs to, as on the Measures sheet."),
        required=True,
    ),
    TemplateColumn(
        "name",
        _("Indicator"),
        _(
            "What is measured. It identifies the indicator within its measure: importing again "
            "updates the indicator of that name."
        ),
        required=True,
    ),
    TemplateColumn("baseline", _("Baseline"), _("The value when the measure started.")),
    TemplateColumn("target", _("Target"), _("The value the measure aims at.")),
    TemplateColumn("current_value", _("Current value"), _("The latest value known.")),
    TemplateColumn("unit", _("Unit"), _("What the values count: people, %, events, …")),
    TemplateColumn(
        "reporting_frequency",
        _("Reporting frequency"),
        _("How often progress on the indicator is reported; annual when empty."),
        ", ".join(ReportingFrequency.values),
    ),
    TemplateColumn("first_due_date", _("First report due"), DATE_HELP),
)


def normalized(text: object) -> str:
    """A header or name as compared: letters and digits, lower case, single spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text or "").casefold()).split())


def _names(column: TemplateColumn) -> set[str]:
    names = {normalized(column.key)}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(normalized(column.header))
    return names


@cache
def _keys_by_name(columns: tuple[TemplateColumn, ...]) -> dict[str, str]:
    return {name: column.key for column in columns for name in _names(column)}


def header_keys(header: Sequence[object], columns: tuple[TemplateColumn, ...]) -> dict[int, str]:
    """{position in the header row: column key} for the headers that name a column (in any
    language of the product, or by the column's key); others are left out."""
    by_name = _keys_by_name(columns)
    keys: dict[int, str] = {}
    for position, cell in enumerate(header):
        key = by_name.get(normalized(cell))
        if key is not None and key not in keys.values():
            keys[position] = key
    return keys


def frequency_value(text: str) -> str:
    """A reporting frequency written as its value or its label in any language; the text itself
    when it is neither (the service then says which values it accepts)."""
    wanted = normalized(text)
    for value, label in ReportingFrequency.choices:
        if wanted == normalized(value):
            return value
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                if wanted == normalized(label):
                    return value
    return text
