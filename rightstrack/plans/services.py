"""Every write to action plans, measures and indicators: validated, permission-checked, atomic and
audited. Managers change the structure; a focal point only updates the current values of the
indicators of their agency's measures."""

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any, TypedDict, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.audit.models import AuditEntry
from rightstrack.audit.services import audit_record, audited, audited_assign, audited_set_published
from rightstrack.core.types import User
from rightstrack.core.validation import Errors, PartialInput, text
from rightstrack.core.values import a_choice, a_currency, a_date, a_text, a_year, an_amount
from rightstrack.core.web import RoleCheck
from rightstrack.recommendations.models import Cluster, Recommendation
from rightstrack.taxonomy.models import Agency, Scheme, Term

from .access import may_change_structure, may_update_indicator_values
from .conflicts import EditConflict
from .models import ActionPlan, Indicator, Measure, PlanStatus, ReportingFrequency

PLAN_FIELDS = (
    "name",
    "slug",
    "state",
    "period_start_year",
    "period_end_year",
    "status",
    "adoption_date",
    "description",
)
PLAN_AUDITED_FIELDS = (*PLAN_FIELDS, "is_published")
MEASURE_FIELDS = (
    "number",
    "title",
    "description",
    "responsible_agencies",
    "partners",
    "start_date",
    "due_date",
    "budget_amount",
    "budget_currency",
    "budget_source",
)
MEASURE_AUDITED_FIELDS = (*MEASURE_FIELDS, "version")
INDICATOR_FIELDS = (
    "name",
    "baseline",
    "target",
    "current_value",
    "unit",
    "reporting_frequency",
    "first_due_date",
    "position",
)
# Path segments under /plans/ that a plan's slug must not take.
RESERVED_SLUGS = frozenset(
    {"new", "measures", "mine", "indicators", "import", "imports", "template"}
)

# What the services accept for a field before they validate it: typed values from a form or the
# API, or text (the command line, imports); each is checked by plans.validation.
Year = int | str | None
DateInput = datetime.date | str | None


class PlanData(TypedDict, total=False):
    """Fields of an action plan (PLAN_FIELDS); an update changes only the keys given."""

    name: str
    slug: str
    state: Term | str | None
    period_start_year: Year
    period_end_year: Year
    status: str
    adoption_date: DateInput
    description: str


class MeasureData(TypedDict, total=False):
    """Fields of a measure (MEASURE_FIELDS); ``responsible_agencies`` as Agencies or codes."""

    number: str
    title: str
    description: str
    responsible_agencies: Iterable[Agency | str]
    partners: str
    start_date: DateInput
    due_date: DateInput
    budget_amount: Decimal | int | float | str | None
    budget_currency: str
    budget_source: str


class IndicatorData(TypedDict, total=False):
    """Fields of an indicator (INDICATOR_FIELDS)."""

    name: str
    baseline: str
    target: str
    current_value: str
    unit: str
    reporting_frequency: str
    first_due_date: DateInput
    position: int | str | None


require_manager = RoleCheck(
    may_change_structure,
    gettext_lazy("Only administrators and coordinators may change plans and measures."),
)


_Record = TypeVar("_Record", ActionPlan, Indicator)


def _require_manager(actor: User | None) -> None:
    """``actor`` None is the system itself (a command run by the operator, an import)."""
    if actor is not None:
        require_manager(actor)


def _state(value: Term | str | None, errors: Errors) -> Term | None:
    if value in (None, ""):
        errors.add("state", _("This field is required."))
        return None
    if isinstance(value, Term):
        term = value if value.scheme == Scheme.STATE else None
    else:
        term = Term.objects.filter(scheme=Scheme.STATE, code=str(value).strip()).first()
    if term is None:
        errors.add("state", _("Unknown state “%(value)s”.") % {"value": value})
    return term


def _agencies(values: Iterable[Agency | str] | None, errors: Errors) -> list[Agency]:
    given = list(values or [])
    agencies = [value for value in given if isinstance(value, Agency)]
    codes = [str(value).strip() for value in given if not isinstance(value, Agency)]
    if codes:
        found = {agency.code: agency for agency in Agency.objects.filter(code__in=codes)}
        for code in codes:
            if code in found:
                agencies.append(found[code])
            else:
                errors.add("responsible_agencies", _("Unknown agency “%(code)s”.") % {"code": code})
    return list({agency.pk: agency for agency in agencies}.values())


def _current_state(plan: ActionPlan) -> Term | None:
    return plan.state if plan.state_id else None


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100] or "plan"
    if base in RESERVED_SLUGS:
        base = f"{base}-plan"
    others = ActionPlan.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    candidate, counter = base, 2
    while others.filter(slug=candidate).exists():
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def _clean_plan(data: Mapping[str, Any], *, plan: ActionPlan) -> dict[str, Any]:
    given = PartialInput(data, plan, PLAN_FIELDS)
    errors = given.errors

    cleaned: dict[str, Any] = {
        "name": a_text(given("name"), "name", errors, model=ActionPlan, required=True),
        "state": _state(data["state"], errors) if "state" in data else _current_state(plan),
        "period_start_year": a_year(given("period_start_year"), "period_start_year", errors),
        "period_end_year": a_year(given("period_end_year"), "period_end_year", errors),
        "status": a_choice(given("status"), PlanStatus, "status", errors),
        "adoption_date": a_date(given("adoption_date"), "adoption_date", errors),
        "description": a_text(given("description"), "description", errors, model=ActionPlan),
    }
    if plan.pk is None and "state" not in data:
        errors.add("state", _("This field is required."))
    start, end = cleaned["period_start_year"], cleaned["period_end_year"]
    if start and end and start > end:
        errors.add("period_end_year", _("The period cannot end before it starts."))
    if cleaned["adoption_date"] and cleaned["status"] != PlanStatus.ADOPTED:
        errors.add("adoption_date", _("Only an adopted plan has an adoption date."))
    slug = text(data.get("slug")) if "slug" in data else plan.slug
    if slug:
        if slugify(slug) != slug:
            errors.add("slug", _("Use only lower-case letters, digits and hyphens."))
        elif slug in RESERVED_SLUGS:
            errors.add("slug", _("This address is reserved; choose another."))
        elif ActionPlan.objects.filter(slug=slug).exclude(pk=plan.pk).exists():
            errors.add("slug", _("Another plan already has this address."))
        a_text(slug, "slug", errors, model=ActionPlan)
    elif cleaned["name"]:
        slug = _unique_slug(cleaned["name"], exclude_pk=plan.pk)
    cleaned["slug"] = slug
    errors.raise_if_any()
    return cleaned


def _write(
    actor: User | None,
    record: _Record,
    fields: Collection[str],
    clean: Callable[[], dict[str, Any]],
) -> _Record:
    """Write a plan or an indicator, new or saved: a manager's (or the system's) input, checked
    by ``clean`` once the actor may, and saved as one audit entry (none when nothing changed)."""
    _require_manager(actor)
    audited_assign(actor, record, fields, clean())
    return record


def plan_create(*, actor: User | None, data: PlanData, is_example: bool = False) -> ActionPlan:
    """Create an unpublished plan from ``data`` (PLAN_FIELDS; ``state`` a Term or its code)."""
    plan = ActionPlan(is_example=is_example)
    return _write(actor, plan, PLAN_AUDITED_FIELDS, partial(_clean_plan, data, plan=plan))


def plan_update(*, actor: User | None, plan: ActionPlan, data: PlanData) -> ActionPlan:
    """Change the fields of ``data`` (a subset of PLAN_FIELDS)."""
    return _write(actor, plan, PLAN_AUDITED_FIELDS, partial(_clean_plan, data, plan=plan))


@transaction.atomic
def plan_set_published(*, actor: User, plan: ActionPlan, published: bool) -> ActionPlan:
    """Publish a plan (its measures, statuses and approved reports become public) or withdraw it."""
    require_manager(actor)
    return audited_set_published(actor, plan, published)


def _clean_measure(data: Mapping[str, Any], *, measure: Measure) -> dict[str, Any]:
    given = PartialInput(data, measure, MEASURE_FIELDS)
    errors = given.errors

    cleaned: dict[str, Any] = {
        "number": a_text(given("number"), "number", errors, model=Measure, required=True),
        "title": a_text(given("title"), "title", errors, model=Measure, required=True),
        "description": a_text(given("description"), "description", errors, model=Measure),
        "partners": a_text(given("partners"), "partners", errors, model=Measure),
        "start_date": a_date(given("start_date"), "start_date", errors),
        "due_date": a_date(given("due_date"), "due_date", errors),
        "budget_amount": an_amount(given("budget_amount"), "budget_amount", errors, model=Measure),
        "budget_currency": a_currency(given("budget_currency"), "budget_currency", errors),
        "budget_source": a_text(given("budget_source"), "budget_source", errors, model=Measure),
    }
    if "responsible_agencies" in data:
        cleaned["responsible_agencies"] = _agencies(data["responsible_agencies"], errors)
    start, due = cleaned["start_date"], cleaned["due_date"]
    if start and due and due < start:
        errors.add("due_date", _("The due date cannot be before the start date."))
    if cleaned["budget_amount"] is not None and cleaned["budget_amount"] < 0:
        errors.add("budget_amount", _("The budget cannot be negative."))
        cleaned["budget_amount"] = None
    if cleaned["budget_amount"] is not None and not cleaned["budget_currency"]:
        errors.add("budget_currency", _("Give the currency of the budget."))
    number = cleaned["number"]
    if (
        number
        and Measure.objects.filter(plan_id=measure.plan_id, number=number)
        .exclude(pk=measure.pk)
        .exists()
    ):
        errors.add("number", _("Another measure of this plan already has this number."))
    errors.raise_if_any()
    return cleaned


def _save_measure(measure: Measure, cleaned: dict[str, Any]) -> None:
    agencies = cleaned.pop("responsible_agencies", None)
    for name, value in cleaned.items():
        setattr(measure, name, value)
    if measure.pk is None:
        measure.save()
    else:
        # Only what an edit changes: the status (kept by the progress services) is left as the
        # database has it, even if a report was approved while this edit was open.
        measure.save(update_fields=[*cleaned, "version", "updated_at"])
    if agencies is not None:
        measure.responsible_agencies.set(agencies)


def measure_create(
    *, actor: User | None, plan: ActionPlan, data: MeasureData, is_example: bool = False
) -> Measure:
    """Add a measure to a plan (``responsible_agencies`` as Agencies or codes)."""
    _require_manager(actor)
    measure = Measure(plan=plan, is_example=is_example)
    cleaned = _clean_measure(data, measure=measure)
    with audited(actor, measure, MEASURE_AUDITED_FIELDS, action=AuditEntry.Action.CREATE):
        _save_measure(measure, cleaned)
    return measure


def _changed(
    obj: Measure | Indicator, cleaned: Mapping[str, Any], names: Iterable[str]
) -> dict[str, Any]:
    changed = {}
    for name in names:
        value = cleaned[name]
        if name == "responsible_agencies":
            related = getattr(obj, name)
            current = set(related.values_list("pk", flat=True)) if obj.pk else set()
            if {agency.pk for agency in value} != current:
                changed[name] = value
        elif value != getattr(obj, name):
            changed[name] = value
    return changed


def measure_changes(*, measure: Measure, data: MeasureData) -> MeasureData:
    """What of ``data`` would change the measure, validated as measure_create and
    measure_update validate it (a ValidationError otherwise); for imports, which write only
    what changed."""
    cleaned = _clean_measure(data, measure=measure)
    return cast(MeasureData, _changed(measure, cleaned, data))


def _claim_version(measure: Measure, loaded_version: int | str | None) -> None:
    """Move the measure to the next version if it is still at ``loaded_version``, atomically, so
    of two edits made from the same version exactly one wins."""
    try:
        loaded = int(loaded_version)  # type: ignore[arg-type]  # None is reported just below
    except (TypeError, ValueError) as error:
        raise ValidationError({"version": [_("The version you edited is missing.")]}) from error
    claimed = Measure.objects.filter(pk=measure.pk, version=loaded).update(version=F("version") + 1)
    if not claimed:
        measure.refresh_from_db()
        raise EditConflict(measure=measure, loaded_version=loaded)
    measure.version = loaded + 1


def measure_update(
    *, actor: User | None, measure: Measure, data: MeasureData, version: int | str | None
) -> Measure:
    """Change a measure that was loaded at ``version``; raises EditConflict when someone else
    saved it since."""
    _require_manager(actor)
    cleaned = _clean_measure(data, measure=measure)
    with audited(actor, measure, MEASURE_AUDITED_FIELDS):
        _claim_version(measure, version)
        _save_measure(measure, cleaned)
    return measure


def measure_delete(*, actor: User, measure: Measure) -> None:
    """Remove a measure nobody has reported on yet."""
    require_manager(actor)
    if measure.reports.exists():
        raise ValidationError(
            {"__all__": [_("This measure has progress reports; it cannot be deleted.")]}
        )
    with audited(actor, measure, MEASURE_AUDITED_FIELDS, action=AuditEntry.Action.DELETE):
        measure.delete()


def _recommendation_label(recommendation: Recommendation) -> str:
    # Asked by id first: a recommendation without a document costs no query.
    document = recommendation.document if recommendation.document_id else None
    symbol = document.symbol if document is not None else ""
    return " ".join(
        part for part in (symbol, recommendation.number, recommendation.text[:60]) if part
    )


def _recommendation_labels(recommendations: Iterable[Recommendation]) -> list[str]:
    return sorted(_recommendation_label(recommendation) for recommendation in recommendations)


def _record_links(
    actor: User | None,
    measure: Measure,
    *,
    added: Iterable[Recommendation] = (),
    removed: Iterable[Recommendation] = (),
    note: str = "",
) -> None:
    label = str(Measure._meta.get_field("recommendations").verbose_name)
    audit_record(
        actor=actor,
        obj=measure,
        action=AuditEntry.Action.UPDATE,
        changes={
            "recommendations": {
                "label": label,
                "old": _recommendation_labels(removed) or None,
                "new": _recommendation_labels(added) or None,
            }
        },
        note=note,
    )


def _linkable(measure: Measure, recommendation_ids: Iterable[int]) -> list[Recommendation]:
    """The recommendations with these ids made to the plan's state, not yet linked."""
    ids = {int(value) for value in recommendation_ids}
    recommendations = list(
        Recommendation.objects.filter(pk__in=ids).select_related("document", "state")
    )
    other_state = [rec for rec in recommendations if rec.state_id != measure.plan.state_id]
    if len(recommendations) != len(ids) or other_state:
        raise ValidationError(
            {
                "recommendations": [
                    _("Only existing recommendations made to %(state)s can be linked.")
                    % {"state": measure.plan.state}
                ]
            }
        )
    linked = set(measure.recommendations.filter(pk__in=ids).values_list("pk", flat=True))
    return [rec for rec in recommendations if rec.pk not in linked]


def _ids(values: Iterable[int | str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError) as error:
        raise ValidationError(
            {"recommendations": [_("Recommendations are given by their numeric ids.")]}
        ) from error


def measure_link_recommendations(
    *, actor: User | None, measure: Measure, recommendation_ids: Iterable[int | str]
) -> int:
    """Record that the measure answers these recommendations; returns how many were new."""
    _require_manager(actor)
    with transaction.atomic():
        new = _linkable(measure, _ids(recommendation_ids))
        if new:
            measure.recommendations.add(*new)
            _record_links(actor, measure, added=new)
    return len(new)


def measure_unlink_recommendations(
    *, actor: User | None, measure: Measure, recommendation_ids: Iterable[int | str]
) -> int:
    """The measure no longer answers these recommendations; returns how many were removed."""
    _require_manager(actor)
    with transaction.atomic():
        removed = list(
            measure.recommendations.filter(pk__in=_ids(recommendation_ids)).select_related(
                "document"
            )
        )
        if removed:
            measure.recommendations.remove(*removed)
            _record_links(actor, measure, removed=removed)
    return len(removed)


def measure_link_cluster(*, actor: User, measure: Measure, cluster: Cluster | None) -> int:
    """Link every recommendation of a cluster made to the plan's state; returns how many were
    new (recommendations to other states in the cluster are left out)."""
    require_manager(actor)
    if not isinstance(cluster, Cluster):
        raise ValidationError({"cluster": [_("Choose a cluster.")]})
    ids = cluster.recommendations.filter(state_id=measure.plan.state_id).values_list(
        "pk", flat=True
    )
    with transaction.atomic():
        new = _linkable(measure, list(ids))
        if new:
            measure.recommendations.add(*new)
            _record_links(
                actor,
                measure,
                added=new,
                note=_("linked with cluster %(name)s") % {"name": cluster.name},
            )
    return len(new)


def _clean_indicator(data: Mapping[str, Any], *, indicator: Indicator) -> dict[str, Any]:
    given = PartialInput(data, indicator, INDICATOR_FIELDS)
    errors = given.errors

    cleaned: dict[str, Any] = {
        "name": a_text(given("name"), "name", errors, model=Indicator, required=True),
        "baseline": a_text(given("baseline"), "baseline", errors, model=Indicator),
        "target": a_text(given("target"), "target", errors, model=Indicator),
        "current_value": a_text(given("current_value"), "current_value", errors, model=Indicator),
        "unit": a_text(given("unit"), "unit", errors, model=Indicator),
        "reporting_frequency": a_choice(
            given("reporting_frequency"), ReportingFrequency, "reporting_frequency", errors
        ),
        "first_due_date": a_date(given("first_due_date"), "first_due_date", errors),
    }
    position = given("position")
    try:
        cleaned["position"] = max(0, int(position or 0))
    except (TypeError, ValueError):
        errors.add("position", _("Enter a whole number."))
    errors.raise_if_any()
    return cleaned


def indicator_changes(*, indicator: Indicator, data: IndicatorData) -> IndicatorData:
    """What of ``data`` would change the indicator, validated as indicator_update validates it."""
    cleaned = _clean_indicator(data, indicator=indicator)
    return cast(IndicatorData, _changed(indicator, cleaned, data))


def indicator_create(*, actor: User | None, measure: Measure, data: IndicatorData) -> Indicator:
    indicator = Indicator(measure=measure)
    return _write(
        actor, indicator, INDICATOR_FIELDS, partial(_clean_indicator, data, indicator=indicator)
    )


def indicator_update(*, actor: User | None, indicator: Indicator, data: IndicatorData) -> Indicator:
    return _write(
        actor, indicator, INDICATOR_FIELDS, partial(_clean_indicator, data, indicator=indicator)
    )


def indicator_delete(*, actor: User | None, indicator: Indicator) -> None:
    """Remove an indicator no report has given a value for."""
    require_manager(actor)
    if indicator.reported_values.exists():
        raise ValidationError(
            {"__all__": [_("Reports give values for this indicator; it cannot be deleted.")]}
        )
    with audited(actor, indicator, INDICATOR_FIELDS, action=AuditEntry.Action.DELETE):
        indicator.delete()


def indicator_values_update(
    *,
    actor: User,
    measure: Measure,
    values: Mapping[int | str, str | None] | None,
    version: int | str | None,
) -> Measure:
    """Set the current values of a measure's indicators ({indicator id: value}); the measure
    moves to a new version, so concurrent edits conflict as other measure edits do."""
    if not may_update_indicator_values(actor, measure):
        raise PermissionDenied(
            _("Only the focal points of the responsible agencies may update these values.")
        )
    indicators = {indicator.pk: indicator for indicator in measure.indicators.all()}
    errors = Errors()
    cleaned: dict[int, str] = {}
    for key, value in (values or {}).items():
        try:
            indicator = indicators[int(key)]
        except (KeyError, TypeError, ValueError):
            errors.add("values", _("%(key)s is not an indicator of this measure.") % {"key": key})
            continue
        cleaned[indicator.pk] = a_text(
            value, f"value_{indicator.pk}", errors, model=Indicator, name="current_value"
        )
    errors.raise_if_any()
    with transaction.atomic():
        _claim_version(measure, version)
        changes: dict[str, dict[str, Any]] = {
            "version": {
                "label": str(Measure._meta.get_field("version").verbose_name),
                "old": str(measure.version - 1),
                "new": str(measure.version),
            }
        }
        for pk, value in cleaned.items():
            indicator = indicators[pk]
            if indicator.current_value == value:
                continue
            changes[f"indicator-{pk}"] = {
                "label": _("%(indicator)s (current value)") % {"indicator": indicator.name},
                "old": indicator.current_value or None,
                "new": value or None,
            }
            indicator.current_value = value
            indicator.save(update_fields=["current_value"])
        audit_record(actor=actor, obj=measure, action=AuditEntry.Action.UPDATE, changes=changes)
    return measure
