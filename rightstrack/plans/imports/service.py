"""Importing an action plan's measures from its template (XLSX) or a Word table.

One file is one ``ImportBatch`` with the life of every import (``run_batch``): one transaction,
all or nothing; a row that cannot be used (an unknown recommendation, a bad date, an unknown
agency…) is a row error with its line and nothing is written; a dry run does all the work and
rolls it back, so what it recorded is the preview of what the import would create, update and
link. The key of a measure is the plan and its number, and of an indicator its measure and
name, so importing the same file again changes nothing; every write goes through the plan
services (validated and audited) and only what changed is written.

An empty cell leaves what the measure holds; a filled "Recommendations answered" cell is the
whole list of the measure's links (links it does not name are removed).
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from rightstrack.core import intake
from rightstrack.core.db_statistics import table_names
from rightstrack.core.intake import IntakeError
from rightstrack.core.roles import can_manage, is_administrator
from rightstrack.core.types import User
from rightstrack.recommendations.imports.records import FileFormatError, RowError
from rightstrack.recommendations.imports.service import (
    MAX_STORED_ERRORS,
    BatchOutcome,
    ImportFileError,
    batch_finish,
    run_batch,
    store_upload,
    stored_upload_path,
)
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.recommendations.references import (
    ReferenceFinder,
    reference_order,
    reference_texts,
)
from rightstrack.taxonomy.models import Agency, Scheme, Term
from rightstrack.taxonomy.services import agency_create

from .. import services
from ..models import ActionPlan, Indicator, Measure
from ..services import INDICATOR_FIELDS, MEASURE_FIELDS
from . import PLAN_FORMAT
from .agencies import AgencyMatcher, new_agency_code
from .columns import (
    INDICATOR_COLUMNS,
    MEASURE_COLUMNS,
    TemplateColumn,
    frequency_value,
    header_keys,
)
from .reading import Formula, Table, read_tables

#: progress(rows done, rows in the file), called after every measure.
Progress = Callable[[int, int | None], object]
LIST_SEPARATORS = re.compile(r"[;\n\r]+")
# How far down a table its header row is looked for.
HEADER_ROWS_SEARCHED = 10
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Cells kept as they are (dates and numbers as the spreadsheet gives them); others are text.
_TYPED_CELLS = {"start_date", "due_date", "budget_amount", "first_due_date"}
# The fields a row gives as they are; agencies and links are resolved first, positions kept.
MEASURE_DATA_FIELDS = tuple(name for name in MEASURE_FIELDS if name != "responsible_agencies")
INDICATOR_DATA_FIELDS = tuple(name for name in INDICATOR_FIELDS if name != "position")


@dataclass
class _Row:
    line: int
    table: str
    cells: dict[str, Any]

    def error(self, reason: str) -> RowError:
        return RowError(self.line, f"{self.table}: {reason}")


@dataclass
class _Tables:
    measures: list[_Row] = field(default_factory=list)
    indicators: list[_Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PlanImport:
    """The batch of an import of measures and what it did (or, for a dry run, would do)."""

    batch: ImportBatch
    outcome: dict[str, Any]


def _cell(value: object) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _rows(
    table: Table, keys: dict[int, str], columns: Sequence[TemplateColumn]
) -> tuple[list[_Row], list[RowError]]:
    """The data rows of a table after its header, as {column key: cell}; a row with a formula
    is a row error naming the cell."""
    rows: list[_Row] = []
    errors: list[RowError] = []
    read_only = {column.key for column in columns if column.read_only}
    for line, cells in table.rows[1:]:
        row = _Row(line, table.name, {})
        formulas = [cell for cell in cells if isinstance(cell, Formula)]
        if formulas:
            errors.append(
                row.error(
                    _(
                        "cell %(address)s holds a formula or an error (%(formula)s); enter its "
                        "value instead"
                    )
                    % {"address": formulas[0].address, "formula": formulas[0].text[:60]}
                )
            )
            continue
        if not any(_text(cell) for cell in cells):
            continue
        for position, key in keys.items():
            if key in read_only or position >= len(cells):
                continue
            value = _cell(cells[position])
            row.cells[key] = value if key in _TYPED_CELLS else _text(value)
        rows.append(row)
    return rows, errors


def _find_tables(tables: list[Table]) -> _Tables:
    """The rows of the measures table and of the indicators table, found by their headers."""
    found = _Tables()
    measures_table = indicators_table = None
    for table in tables:
        # The header is the first of the first rows that names the columns; rows above it (a
        # title, a note) are ignored.
        for start, (_line, cells) in enumerate(table.rows[:HEADER_ROWS_SEARCHED]):
            texts = [_text(cell) if not isinstance(cell, Formula) else "" for cell in cells]
            measure_keys = header_keys(texts, MEASURE_COLUMNS)
            indicator_keys = header_keys(texts, INDICATOR_COLUMNS)
            rest = Table(table.name, table.rows[start:])
            if measures_table is None and {"number", "title"} <= set(measure_keys.values()):
                measures_table = (rest, measure_keys, MEASURE_COLUMNS)
                break
            if indicators_table is None and {"measure", "name"} <= set(indicator_keys.values()):
                indicators_table = (rest, indicator_keys, INDICATOR_COLUMNS)
                break
    if measures_table is None:
        raise FileFormatError(
            _(
                "No table with the columns “%(number)s” and “%(title)s” was found; start from "
                "the template."
            )
            % {"number": MEASURE_COLUMNS[0].header, "title": MEASURE_COLUMNS[1].header}
        )
    for target, found_table in (("measures", measures_table), ("indicators", indicators_table)):
        if found_table is None:
            continue
        table, keys, columns = found_table
        rows, errors = _rows(table, keys, columns)
        setattr(found, target, rows)
        found.errors += errors
        header = table.rows[0][1]
        for position, cell in enumerate(header):
            if position not in keys and _text(cell) and not isinstance(cell, Formula):
                found.warnings.append(
                    {
                        "line": table.rows[0][0],
                        "reason": _(
                            "%(table)s: column “%(column)s” is not one of the template's; "
                            "it was ignored"
                        )
                        % {"table": table.name, "column": _text(cell)[:100]},
                    }
                )
    return found


def _labels(columns: Sequence[TemplateColumn]) -> dict[str, str]:
    return {column.key: str(column.header) for column in columns}


def _error_text(error: ValidationError, labels: Mapping[str, str]) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{labels.get(name, name)}: {' '.join(messages)}"
        if name != "__all__"
        else " ".join(messages)
        for name, messages in error.message_dict.items()
    )


def _item(line: int, number: str, title: str) -> dict[str, Any]:
    """What the outcome says of one measure: its fields changed (labels), the references
    linked and unlinked, its indicators created or changed; "action" is added once known."""
    return {
        "line": line,
        "number": number,
        "title": title,
        "fields": [],
        "linked": [],
        "unlinked": [],
        "indicators": [],
    }


class _Import:
    """The work of one batch: resolve every row, then write through the plan services."""

    def __init__(
        self,
        *,
        actor: User | None,
        plan: ActionPlan | None,
        new_plan: Mapping[str, Any] | None,
        create_agencies: bool,
        progress: Progress | None,
    ) -> None:
        self.actor, self.plan, self.new_plan = actor, plan, new_plan
        self.create_agencies, self.progress = create_agencies, progress
        self.errors: list[RowError] = []
        self.outcome: dict[str, Any] = {"plan": {}, "agencies": [], "measures": []}
        # (table, line) of the rows with an error: those measures are not written.
        self.refused: set[tuple[str, int]] = set()
        self.measure_labels = _labels(MEASURE_COLUMNS)
        self.indicator_labels = _labels(INDICATOR_COLUMNS)

    def __call__(self, batch: ImportBatch, path: Path) -> BatchOutcome:
        tables = _find_tables(read_tables(path))
        self.errors += tables.errors
        plan = self._plan()
        agencies = self._agencies(tables.measures, plan)
        finder = ReferenceFinder(state_id=plan.state_id)
        finder.prefetch(row.cells.get("recommendations", "") for row in tables.measures)
        measures = self._check_measures(tables.measures, agencies, finder)
        indicators = self._check_indicators(tables.indicators, plan, measures)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        # Rows with errors are left out; the others are written even then, so the outcome
        # shows what they would do, and run_batch rolls everything back.
        total = len(measures)
        for done, (row, data, ids) in enumerate(measures, start=1):
            if (row.table, row.line) not in self.refused:
                action = self._write_measure(plan, row, data, ids, indicators.get(data["number"]))
                if action:
                    counts[action] += 1
            if self.progress:
                self.progress(done, total)
        in_file = {data["number"] for _row, data, _ids in measures}
        for number, rows in indicators.items():
            if number not in in_file:
                action = self._write_indicators_only(plan, number, rows)
                if action:
                    counts[action] += 1
        errors = sorted(self.errors, key=lambda error: error.line or 0)
        outcome = BatchOutcome(
            processed=len(tables.measures) + len(tables.indicators),
            errors=[error.as_dict() for error in errors[:MAX_STORED_ERRORS]],
            rejected=len({(error.line, error.reason.split(":", 1)[0]) for error in errors}),
            created=counts["created"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            warnings=tables.warnings[:MAX_STORED_ERRORS],
        )
        outcome.summary = self._summary(counts)
        return outcome

    def _refuse(self, row: _Row, reason: str) -> None:
        self.errors.append(row.error(reason))
        self.refused.add((row.table, row.line))

    def _summary(self, counts: Mapping[str, int]) -> str:
        links = sum(len(item["linked"]) for item in self.outcome["measures"])
        unlinks = sum(len(item["unlinked"]) for item in self.outcome["measures"])
        return _(
            "Measures: %(created)d new, %(updated)d changed, %(unchanged)d unchanged; "
            "%(linked)d recommendation link(s) added, %(unlinked)d removed; %(agencies)d new "
            "agency(ies)."
        ) % {
            **counts,
            "linked": links,
            "unlinked": unlinks,
            "agencies": len(self.outcome["agencies"]),
        }

    def _plan(self) -> ActionPlan:
        if self.plan is not None:
            self.outcome["plan"] = {"id": self.plan.pk, "name": self.plan.name, "new": False}
            return self.plan
        plan = services.plan_create(actor=self.actor, data=cast(Any, dict(self.new_plan or {})))
        self.outcome["plan"] = {"id": plan.pk, "name": plan.name, "new": True}
        return plan

    def _agencies(self, rows: list[_Row], plan: ActionPlan) -> dict[str, Agency]:
        """{name as written: agency} for every agency the rows name; unknown ones created when
        that was confirmed, else row errors."""
        matcher = AgencyMatcher()
        found: dict[str, Agency] = {}
        for row in rows:
            for name in LIST_SEPARATORS.split(row.cells.get("responsible_agencies", "")):
                name = " ".join(name.split())
                if not name or name in found:
                    continue
                agency = matcher.find(name)
                if agency is not None:
                    found[name] = agency
                elif matcher.is_ambiguous(name):
                    self._refuse(
                        row,
                        (
                            _("“%(name)s” names several agencies; give the code of one")
                            % {"name": name}
                        ),
                    )
                elif self.create_agencies:
                    agency = agency_create(
                        actor=self.actor,
                        code=new_agency_code(name),
                        name_en=name[:300],
                        name_ru=name[:300] if _CYRILLIC.search(name) else "",
                        state=plan.state,
                    )
                    matcher.remember(name, agency)
                    found[name] = agency
                    self.outcome["agencies"].append({"name": agency.name_en, "code": agency.code})
                else:
                    self._refuse(
                        row,
                        (
                            _(
                                "unknown agency “%(name)s” (it is created only when an "
                                "administrator confirms creating new agencies)"
                            )
                            % {"name": name}
                        ),
                    )
                    if name not in {item["name"] for item in self.outcome["agencies"]}:
                        self.outcome["agencies"].append({"name": name, "code": ""})
        return found

    def _check_measures(
        self, rows: list[_Row], agencies: Mapping[str, Agency], finder: ReferenceFinder
    ) -> list[tuple[_Row, dict[str, Any], list[int] | None]]:
        checked = []
        seen: dict[str, int] = {}
        for row in rows:
            number = row.cells.get("number", "")
            if not number:
                self._refuse(row, (_("no measure number")))
                continue
            if number in seen:
                self._refuse(
                    row,
                    (
                        _("measure %(number)s is on line %(line)d already")
                        % {"number": number, "line": seen[number]}
                    ),
                )
                continue
            seen[number] = row.line
            data = {
                name: row.cells[name]
                for name in MEASURE_DATA_FIELDS
                if name in row.cells and row.cells[name] not in ("", None)
            }
            names = [
                " ".join(name.split())
                for name in LIST_SEPARATORS.split(row.cells.get("responsible_agencies", ""))
            ]
            if any(names):
                data["responsible_agencies"] = [agencies[n] for n in names if n in agencies]
            ids = None
            if row.cells.get("recommendations"):
                found = finder.find(row.cells["recommendations"])
                for reason in found.errors:
                    self.errors.append(row.error(reason))
                ids = found.ids
            checked.append((row, data, ids))
        return checked

    def _check_indicators(
        self,
        rows: list[_Row],
        plan: ActionPlan,
        measures: list[tuple[_Row, dict[str, Any], list[int] | None]],
    ) -> dict[str, list[tuple[_Row, dict[str, Any]]]]:
        in_file = {data["number"] for _row, data, _ids in measures}
        in_plan = set(plan.measures.values_list("number", flat=True)) if plan.pk else set()
        by_measure: dict[str, list[tuple[_Row, dict[str, Any]]]] = {}
        seen: set[tuple[str, str]] = set()
        for row in rows:
            number, name = row.cells.get("measure", ""), row.cells.get("name", "")
            if not number or not name:
                self._refuse(row, (_("an indicator needs a measure number and a name")))
                continue
            if number not in in_file and number not in in_plan:
                self._refuse(row, (_("there is no measure %(number)s") % {"number": number}))
                continue
            key = (number, name.casefold())
            if key in seen:
                self._refuse(
                    row,
                    (
                        _("indicator “%(name)s” of measure %(number)s is listed twice")
                        % {"name": name, "number": number}
                    ),
                )
                continue
            seen.add(key)
            data = {
                name: row.cells[name]
                for name in INDICATOR_DATA_FIELDS
                if name in row.cells and row.cells[name] not in ("", None)
            }
            if "reporting_frequency" in data:
                data["reporting_frequency"] = frequency_value(data["reporting_frequency"])
            by_measure.setdefault(number, []).append((row, data))
        return by_measure

    def _write_measure(
        self,
        plan: ActionPlan,
        row: _Row,
        data: dict[str, Any],
        ids: list[int] | None,
        indicators: list[tuple[_Row, dict[str, Any]]] | None,
    ) -> str | None:
        """Create or update one measure, its links and its indicators; the action taken, or
        None when a service refused (a row error)."""
        measure = (
            Measure.objects.filter(plan=plan, number=data["number"]).first() if plan.pk else None
        )
        item = _item(
            row.line, data["number"], data.get("title") or (measure.title if measure else "")
        )
        try:
            with transaction.atomic():
                if measure is None:
                    item["action"] = "create"
                    measure = services.measure_create(
                        actor=self.actor, plan=plan, data=cast(Any, data)
                    )
                    item["fields"] = [self.measure_labels[name] for name in data]
                else:
                    changes = services.measure_changes(measure=measure, data=cast(Any, data))
                    item["fields"] = [self.measure_labels[name] for name in changes]
                    if changes:
                        services.measure_update(
                            actor=self.actor,
                            measure=measure,
                            data=changes,
                            version=measure.version,
                        )
                if ids is not None:
                    self._links(measure, ids, item)
                for indicator_row, indicator_data in indicators or []:
                    self._write_indicator(measure, indicator_row, indicator_data, item)
        except ValidationError as error:
            self._refuse(row, _error_text(error, self.measure_labels))
            return None
        except _RowRefused:
            return None
        if "action" not in item:
            changed = item["fields"] or item["linked"] or item["unlinked"] or item["indicators"]
            item["action"] = "update" if changed else "unchanged"
        self.outcome["measures"].append(item)
        return {"create": "created", "update": "updated", "unchanged": "unchanged"}[item["action"]]

    def _write_indicators_only(
        self, plan: ActionPlan, number: str, rows: list[tuple[_Row, dict[str, Any]]]
    ) -> str | None:
        measure = Measure.objects.get(plan=plan, number=number)
        item = _item(rows[0][0].line, number, measure.title)
        try:
            with transaction.atomic():
                for row, data in rows:
                    self._write_indicator(measure, row, data, item)
        except _RowRefused:
            return None
        item["action"] = "update" if item["indicators"] else "unchanged"
        self.outcome["measures"].append(item)
        return "updated" if item["indicators"] else "unchanged"

    def _links(self, measure: Measure, ids: list[int], item: dict[str, Any]) -> None:
        current = set(measure.recommendations.values_list("pk", flat=True))
        wanted = set(ids)
        added, removed = wanted - current, current - wanted
        if added:
            services.measure_link_recommendations(
                actor=self.actor, measure=measure, recommendation_ids=sorted(added)
            )
        if removed:
            services.measure_unlink_recommendations(
                actor=self.actor, measure=measure, recommendation_ids=sorted(removed)
            )
        texts = reference_texts(
            Recommendation.objects.filter(pk__in=added | removed).select_related("document")
        )
        item["linked"] = sorted((texts[pk] for pk in added), key=reference_order)
        item["unlinked"] = sorted((texts[pk] for pk in removed), key=reference_order)

    def _write_indicator(
        self, measure: Measure, row: _Row, data: dict[str, Any], item: dict[str, Any]
    ) -> None:
        name = data["name"]
        indicator = next(
            (
                existing
                for existing in measure.indicators.all()
                if existing.name.casefold() == name.casefold()
            ),
            None,
        )
        try:
            if indicator is None:
                last = measure.indicators.order_by("-position").first()
                data = {**data, "position": last.position + 1 if last else 0}
                services.indicator_create(actor=self.actor, measure=measure, data=cast(Any, data))
                item["indicators"].append(_("%(name)s (new)") % {"name": name})
                return
            changes = services.indicator_changes(indicator=indicator, data=cast(Any, data))
            if changes:
                services.indicator_update(actor=self.actor, indicator=indicator, data=changes)
                item["indicators"].append(
                    _("%(name)s (%(fields)s)")
                    % {
                        "name": name,
                        "fields": ", ".join(self.indicator_labels[key] for key in changes),
                    }
                )
        except ValidationError as error:
            self._refuse(row, (_error_text(error, self.indicator_labels)))
            raise _RowRefused from None


class _RowRefused(Exception):
    """An indicator row was refused (its error recorded); its measure's writes are undone."""


def _check_permission(actor: User | None, *, create_agencies: bool) -> None:
    # actor None is the system itself (the command line, run by the operator).
    if actor is None:
        return
    if not can_manage(actor):
        raise PermissionDenied(_("Only coordinators and administrators may import action plans."))
    if create_agencies and not is_administrator(actor):
        raise PermissionDenied(_("Only administrators may create agencies."))


def _new_plan_data(title: str, state: Term | str | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["new_plan_title"] = [_("Give the new plan's title.")]
    if isinstance(state, str):
        state = Term.objects.filter(scheme=Scheme.STATE, code=state.strip().upper()).first() or (
            Term.objects.filter(scheme=Scheme.STATE, label_en__iexact=state.strip()).first()
        )
    if state is None:
        errors["state"] = [_("Give the State of the new plan (its code, e.g. BLR).")]
    if errors:
        raise ValidationError(errors)
    return {"name": title.strip(), "state": state}


def plan_import(
    *,
    actor: User | None,
    path: str | Path,
    plan: ActionPlan | None = None,
    new_plan_title: str = "",
    state: Term | str | None = None,
    dry_run: bool = False,
    create_agencies: bool = False,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
    file_name: str = "",
) -> PlanImport:
    """Import the measures (and indicators) of a template file into ``plan``, or into a new plan
    titled ``new_plan_title`` for ``state``.

    ``create_agencies`` creates the agencies the file names that are not on the list
    (administrators only); without it they are row errors. Rows that cannot be used end up in
    ``batch.errors`` and nothing is written; an unreadable file raises ImportFileError after
    the failed batch has been recorded. Returns the batch and its outcome: the plan, the
    agencies created, and per measure what was created, changed and linked.
    """
    _check_permission(actor, create_agencies=create_agencies)
    new_plan = None
    if plan is None:
        new_plan = _new_plan_data(new_plan_title, state)
    file_path = Path(path)
    if batch is None:
        batch = ImportBatch(
            format=PLAN_FORMAT,
            file_name=(file_name or file_path.name)[:300],
            user=actor,
            dry_run=dry_run,
        )
    batch.dry_run = dry_run
    work = _Import(
        actor=actor,
        plan=plan,
        new_plan=new_plan,
        create_agencies=create_agencies,
        progress=progress,
    )
    batch.options = {
        **batch.options,
        "plan": plan.pk if plan is not None else None,
        "new_plan_title": new_plan["name"] if new_plan else "",
        "state": new_plan["state"].code if new_plan else "",
        "create_agencies": create_agencies,
    }

    def record(batch: ImportBatch, path: Path) -> BatchOutcome:
        outcome = work(batch, path)
        batch.options = {**batch.options, "outcome": work.outcome}
        return outcome

    batch = run_batch(
        batch,
        user=actor,
        path=file_path,
        work=record,
        offers_skipping=False,
        # A plan of a few hundred measures changes what the planner should expect of these.
        tables=table_names(ActionPlan, Measure, Indicator, Agency),
    )
    if not batch.dry_run and batch.status == ImportBatch.Status.SUCCEEDED:
        plan_id = work.outcome["plan"].get("id")
        batch.options = {**batch.options, "plan": plan_id}
        batch.save(update_fields=["options"])
    return PlanImport(batch=batch, outcome=batch.options.get("outcome", {}))


def plan_import_upload(
    *,
    actor: User,
    upload: UploadedFile,
    plan: ActionPlan | None = None,
    new_plan_title: str = "",
    state: Term | str | None = None,
    dry_run: bool = True,
    create_agencies: bool = False,
) -> ImportBatch:
    """Keep an uploaded file (as imports of recommendations keep theirs) and record a waiting
    batch for its import, by default a dry run (the preview that ``plan_import_confirm`` then
    carries out). The import runs later, as a job (``jobs.start_plan_import``), or at once
    (``plan_import_batch``)."""
    _check_permission(actor, create_agencies=create_agencies)
    new_plan = _new_plan_data(new_plan_title, state) if plan is None else None
    try:
        intake.check_upload_size(upload.size)
    except IntakeError as error:
        raise ImportFileError.of(error) from None
    relative = store_upload(upload)
    return _waiting_batch(
        actor=actor,
        file_name=relative.name,
        upload=str(relative),
        plan=plan,
        new_plan=new_plan,
        dry_run=dry_run,
        create_agencies=create_agencies,
    )


def _waiting_batch(
    *,
    actor: User,
    file_name: str,
    upload: str,
    plan: ActionPlan | None,
    new_plan: Mapping[str, Any] | None,
    dry_run: bool,
    create_agencies: bool,
    preview: ImportBatch | None = None,
) -> ImportBatch:
    options: dict[str, Any] = {
        "upload": upload,
        "plan": plan.pk if plan is not None else None,
        "new_plan_title": new_plan["name"] if new_plan else "",
        "state": new_plan["state"].code if new_plan else "",
        "create_agencies": create_agencies,
    }
    if preview is not None:
        options["preview"] = preview.pk
    return ImportBatch.objects.create(
        format=PLAN_FORMAT,
        file_name=file_name[:300],
        checksum="",
        user=actor,
        dry_run=dry_run,
        options=options,
    )


def plan_import_batch(batch: ImportBatch, *, progress: Progress | None = None) -> PlanImport:
    """Run the import a waiting batch (``plan_import_upload``, ``plan_import_confirm``)
    recorded, as the user who asked for it: what its job does. A plan deleted since fails the
    batch; an unreadable file raises ImportFileError once the failed batch is recorded."""
    options = batch.options
    plan = ActionPlan.objects.filter(pk=options["plan"]).first() if options.get("plan") else None
    if plan is None and not options.get("new_plan_title"):
        batch_finish(
            batch,
            user=batch.user,
            status=ImportBatch.Status.FAILED,
            message=_("The plan of this import no longer exists; nothing was imported."),
        )
        return PlanImport(batch=batch, outcome={})
    return plan_import(
        actor=batch.user,
        path=stored_upload_path(batch),
        plan=plan,
        new_plan_title=options.get("new_plan_title", ""),
        state=options.get("state") or None,
        dry_run=batch.dry_run,
        create_agencies=bool(options.get("create_agencies")),
        progress=progress,
        batch=batch,
    )


def plan_import_confirm(
    *, actor: User, preview: ImportBatch, create_agencies: bool = False
) -> ImportBatch:
    """Record the import a dry run previewed, from the file it kept, as a waiting batch: into
    the same plan (or a new plan of the same title and State). Its job reads the file again and
    checks it again."""
    _check_permission(actor, create_agencies=create_agencies)
    if preview.format != PLAN_FORMAT or not preview.dry_run or "upload" not in preview.options:
        raise ValidationError({"batch": [_("This is not the preview of an action plan import.")]})
    options = preview.options
    plan = (
        ActionPlan.objects.filter(pk=options.get("plan")).first() if options.get("plan") else None
    )
    if plan is None and not options.get("new_plan_title"):
        raise ValidationError({"batch": [_("The plan of this preview no longer exists.")]})
    new_plan = None
    if plan is None:
        new_plan = _new_plan_data(options["new_plan_title"], options.get("state") or None)
    return _waiting_batch(
        actor=actor,
        file_name=preview.file_name,
        upload=options["upload"],
        plan=plan,
        new_plan=new_plan,
        dry_run=False,
        create_agencies=create_agencies,
        preview=preview,
    )
