"""Generating documents: one service for the page, the API and the command line.

``report_build(kind=..., user=..., params=..., fmt=...)`` checks the selectors in ``params``
against what ``user`` may see (a ValidationError names each bad field), builds the document once
and writes it as Word or PDF. Without a selector each report takes the first published plan,
State (with UPR recommendations) or field presence the user may see. Nothing is stored: the
document is made from the data on request, so no audit entry is written.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core.types import AnyUser
from rightstrack.core.validation import Errors
from rightstrack.plans.models import ActionPlan
from rightstrack.presences.models import Presence
from rightstrack.recommendations.models import Document as SourceDocument
from rightstrack.recommendations.models import Recommendation
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import term_resolver

from . import selectors
from .documents.builders import plan_status, presence_summary, upr_midterm
from .documents.formats import FORMATS, render
from .documents.model import Document

PLAN_STATUS = "plan-status"
UPR_MIDTERM = "upr-midterm"
PRESENCE_SUMMARY = "presence-summary"
GROUPS = (upr_midterm.GROUP_THEME, upr_midterm.GROUP_CLUSTER)
MIN_YEAR, MAX_YEAR = 1900, 2100


class ReportSelection(TypedDict, total=False):
    """What a report is about, as report_selection finds it; which keys a report has depends
    on its kind (plan; mode, document, state, mechanism, cycle, recommendations, group;
    presence, year)."""

    plan: ActionPlan | None
    mode: Literal["document", "upr", "mechanism"]
    document: SourceDocument | None
    state: Term | None
    mechanism: Term | None
    cycle: int | None
    recommendations: QuerySet[Recommendation]
    group: str
    presence: Presence | None
    year: int | None


class ReportBuilder(Protocol):
    """A module of documents/builders/: turns a selection into a Document."""

    def build(
        self,
        *,
        user: AnyUser,
        selection: ReportSelection,
        today: datetime.date,
        base_url: str,
    ) -> Document: ...


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str | Promise
    params: tuple[str, ...]
    builder: ReportBuilder


KINDS = {
    PLAN_STATUS: ReportKind(
        PLAN_STATUS, gettext_lazy("Plan status report"), ("plan",), plan_status
    ),
    UPR_MIDTERM: ReportKind(
        UPR_MIDTERM,
        gettext_lazy("UPR mid-term report (draft)"),
        ("state", "cycle", "document", "mechanism", "group"),
        upr_midterm,
    ),
    PRESENCE_SUMMARY: ReportKind(
        PRESENCE_SUMMARY,
        gettext_lazy("Field presence annual summary"),
        ("presence", "year"),
        presence_summary,
    ),
}


@dataclass(frozen=True)
class BuiltReport:
    content: bytes
    filename: str
    content_type: str
    title: str


def _given(params: Mapping[str, object] | None) -> dict[str, str]:
    """The selectors given, as stripped strings; empty ones dropped."""
    given = {}
    for name, value in (params or {}).items():
        if value is None:
            continue
        text = str(value).strip()
        if text:
            given[name] = text
    return given


def _whole_number(
    value: str, field: str, errors: Errors, *, low: int = 1, high: int | None = None
) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Enter a whole number."))
        return None
    if number < low or (high is not None and number > high):
        if high is None:
            errors.add(field, _("Enter a number of at least %(low)s.") % {"low": low})
        else:
            errors.add(
                field,
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high},
            )
        return None
    return number


def _plan_selection(user: AnyUser, given: dict[str, str], errors: Errors) -> ReportSelection:
    if "plan" in given:
        plan = selectors.plan_find(user=user, key=given["plan"])
        if plan is None:
            errors.add(
                "plan", _("No action plan “%(plan)s” that you may see.") % {"plan": given["plan"]}
            )
    else:
        plan = selectors.first_published_plan(user=user)
        if plan is None:
            errors.add("plan", _("There is no published action plan to report on."))
    return {"plan": plan}


def _document_selection(user: AnyUser, given: dict[str, str], errors: Errors) -> ReportSelection:
    for name in ("state", "cycle", "mechanism"):
        if name in given:
            errors.add(
                name,
                _("Give either a source document, or a State (with a cycle or a mechanism)."),
            )
    document = selectors.document_find(user=user, symbol=given["document"])
    if document is None:
        errors.add(
            "document",
            _("No source document “%(symbol)s” with recommendations you may see.")
            % {"symbol": given["document"]},
        )
        return {}
    recommendations = selectors.document_recommendations(user=user, document=document)
    first = recommendations.select_related("state", "mechanism").order_by("pk").first()
    # document_find only finds documents with recommendations this reader may see.
    assert first is not None
    return {
        "mode": "document",
        "document": document,
        "state": document.state or first.state,
        "mechanism": document.mechanism or first.mechanism,
        "cycle": None,
        "recommendations": recommendations,
    }


def _upr_selection(
    user: AnyUser,
    given: dict[str, str],
    errors: Errors,
    state: Term | None,
    mechanism: Term | None,
) -> ReportSelection:
    if state is None:
        state = selectors.upr_states(user=user).first()
        if state is None:
            errors.add("state", _("There are no UPR recommendations to report on."))
            return {}
    if not selectors.upr_recommendations(user=user, state=state, cycle=None).exists():
        errors.add(
            "state",
            _("No UPR recommendation made to %(state)s is recorded.") % {"state": state.label},
        )
        return {}
    cycles = selectors.upr_cycles(user=user, state=state)
    if "cycle" in given:
        cycle = _whole_number(given["cycle"], "cycle", errors)
        if cycle is not None and cycle not in cycles:
            errors.add(
                "cycle",
                _("No UPR recommendation of cycle %(cycle)s made to %(state)s is recorded.")
                % {"cycle": cycle, "state": state.label},
            )
    else:
        cycle = cycles[-1] if cycles else None
    return {
        "mode": "upr",
        "document": None,
        "state": state,
        "mechanism": mechanism or selectors.upr_mechanism(),
        "cycle": cycle,
        "recommendations": selectors.upr_recommendations(user=user, state=state, cycle=cycle),
    }


def _mechanism_selection(
    user: AnyUser, given: dict[str, str], errors: Errors, state: Term | None, mechanism: Term
) -> ReportSelection:
    if "cycle" in given:
        errors.add("cycle", _("The UPR cycle applies to UPR reports only."))
    if state is None:
        if "state" not in given:
            errors.add(
                "state",
                _("Give the State whose recommendations from %(mechanism)s to report on.")
                % {"mechanism": mechanism.short_label},
            )
        return {}
    document = selectors.latest_document_of(user=user, state=state, mechanism=mechanism)
    if document is not None:
        recommendations = selectors.document_recommendations(user=user, document=document)
    else:
        recommendations = selectors.mechanism_recommendations(
            user=user, state=state, mechanism=mechanism
        )
    if not recommendations.exists():
        errors.add(
            "mechanism",
            _("No recommendation of %(mechanism)s to %(state)s is recorded.")
            % {"mechanism": mechanism.short_label, "state": state.label},
        )
        return {}
    return {
        "mode": "mechanism",
        "document": document,
        "state": state,
        "mechanism": mechanism,
        "cycle": None,
        "recommendations": recommendations,
    }


def _recommendation_selection(
    user: AnyUser, given: dict[str, str], errors: Errors
) -> ReportSelection:
    group = given.get("group", upr_midterm.GROUP_THEME)
    if group not in GROUPS:
        errors.add("group", _("Group by “theme” or “cluster”."))
    if "document" in given:
        selection = _document_selection(user, given, errors)
        return {**selection, "group": group}
    state: Term | None = None
    mechanism: Term | None = None
    if "state" in given:
        state = term_resolver(Scheme.STATE).resolve(given["state"])
        if state is None:
            errors.add("state", _("Unknown State “%(state)s”.") % {"state": given["state"]})
    if "mechanism" in given:
        mechanism = term_resolver(Scheme.MECHANISM).resolve(given["mechanism"])
        if mechanism is None:
            errors.add(
                "mechanism",
                _("Unknown mechanism “%(mechanism)s”.") % {"mechanism": given["mechanism"]},
            )
    if errors:
        return {}
    if mechanism is None or mechanism.code == selectors.UPR_CODE:
        selection = _upr_selection(user, given, errors, state, mechanism)
    else:
        selection = _mechanism_selection(user, given, errors, state, mechanism)
    return {**selection, "group": group}


def _presence_selection(user: AnyUser, given: dict[str, str], errors: Errors) -> ReportSelection:
    if "presence" in given:
        presence = selectors.presence_find(user=user, slug=given["presence"])
        if presence is None:
            errors.add(
                "presence",
                _("No field presence “%(presence)s” that you may see.")
                % {"presence": given["presence"]},
            )
    else:
        presence = selectors.first_published_presence(user=user)
        if presence is None:
            errors.add("presence", _("There is no published field presence to report on."))
        else:
            presence = selectors.presence_find(user=user, slug=presence.slug)
    year = None
    if "year" in given:
        year = _whole_number(given["year"], "year", errors, low=MIN_YEAR, high=MAX_YEAR)
    return {"presence": presence, "year": year}


SELECTIONS: dict[str, Callable[[AnyUser, dict[str, str], Errors], ReportSelection]] = {
    PLAN_STATUS: _plan_selection,
    UPR_MIDTERM: _recommendation_selection,
    PRESENCE_SUMMARY: _presence_selection,
}


def report_selection(
    *, kind: str, user: AnyUser, params: Mapping[str, object] | None
) -> ReportSelection:
    """What the report is about, from ``params`` checked against what ``user`` may see;
    ValidationError ({field: [messages]}) when a selector is unknown, invisible or bad."""
    errors = Errors()
    if kind not in KINDS:
        errors.add("kind", _("Unknown report “%(kind)s”.") % {"kind": kind})
        errors.raise_if_any()
    given = _given(params)
    for name in given:
        if name not in KINDS[kind].params:
            errors.add(name, _("This report does not take this selector."))
    errors.raise_if_any()
    selection = SELECTIONS[kind](user, given, errors)
    errors.raise_if_any()
    return selection


def _subject_slug(kind: str, selection: ReportSelection) -> str:
    # Only for a selection report_selection accepted: it has the plan, presence or State.
    if kind == PLAN_STATUS:
        plan = selection["plan"]
        assert plan is not None
        return plan.slug
    if kind == PRESENCE_SUMMARY:
        presence = selection["presence"]
        assert presence is not None
        year = selection.get("year")
        return presence.slug + (f"-{year}" if year else "")
    document = selection.get("document")
    if document is not None and selection["mode"] != "upr":
        return slugify(re.sub(r"[/.]", "-", document.symbol))
    state, mechanism = selection["state"], selection["mechanism"]
    assert state is not None
    parts = [state.code]
    if selection["mode"] == "upr" and selection.get("cycle"):
        parts.append(f"cycle-{selection['cycle']}")
    elif selection["mode"] == "mechanism":
        assert mechanism is not None
        parts.append(mechanism.code)
    return slugify("-".join(parts))


def report_build(
    *,
    kind: str,
    user: AnyUser,
    params: Mapping[str, object] | None,
    fmt: str,
    today: datetime.date | None = None,
    base_url: str | None = None,
) -> BuiltReport:
    """The document (a BuiltReport with the file's bytes and name) of one report.

    ``params``: the selectors as strings (plan; state, cycle, document, mechanism, group;
    presence, year); ``fmt``: "docx" or "pdf"; ``base_url``: the site address links in the
    document start with (``SITE_URL`` by default).
    """
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose Word (docx) or PDF (pdf).")]})
    selection = report_selection(kind=kind, user=user, params=params)
    today = today or timezone.localdate()
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    document = KINDS[kind].builder.build(
        user=user, selection=selection, today=today, base_url=base_url
    )
    output_format = FORMATS[fmt]
    filename = f"{kind}-{_subject_slug(kind, selection)}-{today:%Y-%m-%d}.{output_format.extension}"
    return BuiltReport(
        content=render(document, fmt),
        filename=filename,
        content_type=output_format.content_type,
        title=document.title,
    )
