"""The action plan template (XLSX): a Measures sheet, an Indicators sheet and an Instructions
sheet, blank or filled with a plan's measures, so that a plan exported into it imports back
unchanged. Written by the one tabular writer (core.tabular): text cells, never formulas."""

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rightstrack.core.tabular import Column, Sheet, download_workbook, write_workbook
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.references import reference_order, reference_texts
from rightstrack.taxonomy.models import Agency

from ..models import ActionPlan, Indicator, Measure
from .columns import INDICATOR_COLUMNS, MEASURE_COLUMNS, TemplateColumn

LIST_SEPARATOR = "; "


def _columns(columns: tuple[TemplateColumn, ...]) -> list[Column]:
    return [Column(column.key, str(column.header)) for column in columns]


def _plan_measures(plan: ActionPlan) -> list[Measure]:
    return list(
        plan.measures.prefetch_related(
            "responsible_agencies",
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("document")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")),
        )
    )


def _measure_rows(measures: list[Measure]) -> Iterator[dict[str, Any]]:
    texts = reference_texts(
        recommendation for measure in measures for recommendation in measure.recommendations.all()
    )
    for measure in measures:
        yield {
            "number": measure.number,
            "title": measure.title,
            "description": measure.description,
            "responsible_agencies": LIST_SEPARATOR.join(
                sorted(agency.code for agency in measure.responsible_agencies.all())
            ),
            "partners": measure.partners,
            "start_date": measure.start_date,
            "due_date": measure.due_date,
            "budget_amount": measure.budget_amount,
            "budget_currency": measure.budget_currency,
            "budget_source": measure.budget_source,
            "recommendations": LIST_SEPARATOR.join(
                sorted(
                    (texts[rec.pk] for rec in measure.recommendations.all()), key=reference_order
                )
            ),
            "status": measure.get_status_display(),
        }


def _indicator_rows(measures: list[Measure]) -> Iterator[dict[str, Any]]:
    for measure in measures:
        for indicator in measure.indicators.all():
            yield {
                "measure": measure.number,
                "name": indicator.name,
                "baseline": indicator.baseline,
                "target": indicator.target,
                "current_value": indicator.current_value,
                "unit": indicator.unit,
                "reporting_frequency": indicator.reporting_frequency,
                "first_due_date": indicator.first_due_date,
            }


def _instruction_rows() -> Iterator[dict[str, Any]]:
    for note in (
        _(
            "One row per measure on the Measures sheet, one row per indicator on the Indicators "
            "sheet. Keep the header row; columns may come in any order, and columns that are not "
            "the template's are ignored."
        ),
        _(
            "A measure is known by its number: importing the file again updates the measures with "
            "these numbers and adds the others; nothing is deleted. An empty cell leaves what the "
            "plan holds."
        ),
        _("Enter values, not formulas: a row with a formula is refused. Dates as YYYY-MM-DD."),
        _(
            "Before anything is written, a preview shows what would be created, changed and "
            "linked, and the rows that cannot be used, with their line."
        ),
        _("A Word document (.docx) whose table has the same header row can be imported too."),
    ):
        yield {"sheet": "", "column": "", "required": "", "help": note, "allowed": ""}
    for sheet, columns in ((_("Measures"), MEASURE_COLUMNS), (_("Indicators"), INDICATOR_COLUMNS)):
        for column in columns:
            yield {
                "sheet": sheet,
                "column": str(column.header),
                "required": _("required") if column.required else "",
                "help": str(column.help),
                "allowed": str(column.allowed),
            }
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        yield {
            "sheet": _("Agencies"),
            "column": agency.code,
            "required": "",
            "help": agency.name_en,
            "allowed": agency.name_ru,
        }


def _instruction_columns() -> list[Column]:
    return [
        Column("sheet", _("Sheet")),
        Column("column", _("Column")),
        Column("required", _("Required")),
        Column("help", _("What it holds")),
        Column("allowed", _("Allowed values")),
    ]


def template_sheets(plan: ActionPlan | None = None) -> list[Sheet]:
    """The sheets of the template, with ``plan``'s measures and indicators when one is given."""
    measures = _plan_measures(plan) if plan is not None else []
    return [
        Sheet(_("Measures"), _columns(MEASURE_COLUMNS), _measure_rows(measures)),
        Sheet(_("Indicators"), _columns(INDICATOR_COLUMNS), _indicator_rows(measures)),
        Sheet(_("Instructions"), _instruction_columns(), _instruction_rows()),
    ]


def write_template(target: str | Path | IO[bytes], *, plan: ActionPlan | None = None) -> None:
    write_workbook(template_sheets(plan), target)


def template_download(plan: ActionPlan | None = None) -> HttpResponseBase:
    """The template (filled with ``plan``'s measures when given) as a download."""
    return download_workbook(template_sheets(plan), filename=template_file_name(plan))


def template_file_name(plan: ActionPlan | None = None) -> str:
    if plan is None:
        return "action-plan-template.xlsx"
    day = timezone.localdate()
    return f"{slugify(plan.slug) or 'plan'}-measures-{day:%Y-%m-%d}.xlsx"
