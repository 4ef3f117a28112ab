"""A draft mid-term report: the matrix States use for voluntary UPR mid-term reports.

Recommendations are grouped by theme (or by cluster), each under its first theme only, with its
position, the measures taken with their status, its implementation status and the evidence from
the approved progress reports of those measures. The same document serves one Treaty Body's
concluding observations; when the mechanism graded the follow-up itself (e.g. the Human Rights
Committee's A–E grades), its grade is shown beside the status.
"""

from collections import Counter

from django.utils.translation import gettext as _

from rightstrack.core.charts import bar_chart
from rightstrack.plans.models import MeasureStatus
from rightstrack.progress.models import FollowUpGrade
from rightstrack.recommendations.models import ImplementationStatus, Position
from rightstrack.reports import selectors

from ..model import Column, Heading, Paragraph, Table
from .common import (
    date_text,
    evidence_link,
    example_notice,
    example_suffix,
    new_document,
    number_text,
)

GROUP_THEME = "theme"
GROUP_CLUSTER = "cluster"


def _reference(recommendation, *, with_symbol=True):
    parts = []
    if recommendation.document_id and with_symbol:
        parts.append(recommendation.document.symbol)
    if recommendation.number:
        parts.append(recommendation.number)
    if not parts and recommendation.session:
        parts.append(_("session %(session)s") % {"session": recommendation.session})
    return " ".join(parts) or "—"


def _groups_of(recommendation, group):
    if group == GROUP_CLUSTER:
        return [
            (f"cluster:{cluster.pk}", cluster.name) for cluster in recommendation.clusters.all()
        ]
    return [(f"term:{tag.term_id}", tag.term.label) for tag in recommendation.theme_tags]


def _grouped(rows, group):
    """[(group label, [rows])]: each recommendation under its first group; groups by label,
    the recommendations with none last."""
    groups = {}
    labels = {}
    ungrouped = []
    for row in rows:
        found = _groups_of(row, group)
        if not found:
            ungrouped.append(row)
            continue
        key, label = found[0]
        labels[key] = label
        groups.setdefault(key, []).append(row)
    ordered = sorted(groups, key=lambda key: labels[key].lower())
    result = [(labels[key], groups[key]) for key in ordered]
    if ungrouped:
        none_label = _("Not in a cluster") if group == GROUP_CLUSTER else _("No theme recorded")
        result.append((none_label, ungrouped))
    return result


def _recommendation_cell(row, group):
    text = row.text
    if not row.is_published:
        text = f"{text} ({_('not published')})"
    lines = [text]
    states = [state.label for state in row.recommending_states.all()]
    if states:
        lines.append(_("Recommended by: %(states)s") % {"states": ", ".join(states)})
    others = [label for _key, label in _groups_of(row, group)[1:]]
    if others:
        label = (
            _("Also in clusters: %(names)s")
            if group == GROUP_CLUSTER
            else _("Also under themes: %(names)s")
        )
        lines.append(label % {"names": "; ".join(others)})
    return lines


def _measures_cell(row):
    if not row.visible_measures:
        return _("No measure recorded")
    statuses = dict(MeasureStatus.choices)
    return [
        f"{measure.plan.name}, {measure.number}. {measure.title}"
        f"{example_suffix(measure.is_example)} — {statuses.get(measure.status, measure.status)}"
        for measure in row.visible_measures
    ]


def _evidence_cell(row, reports, base_url):
    links = []
    for measure in row.visible_measures:
        for report in reports.get(measure.pk, []):
            links.extend(
                evidence_link(evidence, base_url=base_url) for evidence in report.evidence.all()
            )
    return links or "—"


def _grade_cell(row):
    lines = []
    for grade in row.grades:
        text = f"{grade.grade}: {grade.get_grade_display()}"
        if grade.part:
            text = f"{grade.part}: {text}"
        lines.append(f"{text} ({grade.document_symbol}, {grade.year})")
    return lines or "—"


def _count_chart(chart_id, title, description, heading, counts, choices):
    return bar_chart(
        id=chart_id,
        title=title,
        description=description,
        label_heading=heading,
        value_heading=_("Recommendations"),
        rows=[(label, counts[value]) for value, label in choices if counts.get(value)],
    )


def _subject(selection):
    mechanism = selection["mechanism"]
    document = selection.get("document")
    state = selection["state"]
    if selection["mode"] == "upr":
        cycle = selection.get("cycle")
        if cycle is None:
            return _("%(state)s, all UPR cycles") % {"state": state.label}
        return _("%(state)s, UPR cycle %(cycle)s") % {"state": state.label, "cycle": cycle}
    if document is not None:
        return f"{state.label}, {mechanism.short_label}, {document.symbol}"
    return f"{state.label}, {mechanism.short_label}"


def build(*, user, selection, today, base_url):
    rows = selectors.matrix_rows(user=user, recommendations=selection["recommendations"])
    measure_ids = {measure.pk for row in rows for measure in row.visible_measures}
    reports = selectors.approved_reports_by_measure(user=user, measure_ids=measure_ids)
    group = selection.get("group") or GROUP_THEME
    mechanism = selection["mechanism"]
    document_source = selection.get("document")
    is_upr = mechanism is not None and mechanism.code == selectors.UPR_CODE
    has_grades = any(row.grades for row in rows)
    has_examples = any(
        measure.is_example for row in rows for measure in row.visible_measures
    ) or any(report.is_example for listed in reports.values() for report in listed)

    document = new_document(
        title=_("UPR mid-term report (draft)")
        if is_upr
        else _("Follow-up report on recommendations (draft)"),
        subtitle=_subject(selection),
        user=user,
        today=today,
        landscape=True,
    )
    facts = [(_("State"), selection["state"].label)]
    if mechanism is not None:
        facts.append((_("Mechanism or body"), mechanism.label))
    if selection["mode"] == "upr":
        cycle = selection.get("cycle")
        facts.append((_("UPR cycle"), str(cycle) if cycle is not None else _("All cycles")))
    if document_source is not None:
        source = document_source.symbol
        if document_source.title:
            source = f"{source}: {document_source.title}"
        if document_source.date:
            source = f"{source} ({date_text(document_source.date)})"
        facts.append((_("Source document"), source))
    facts.append((_("Recommendations"), number_text(len(rows))))
    facts.append((_("Grouped by"), _("Cluster") if group == GROUP_CLUSTER else _("Theme")))
    document.facts = facts
    document.notices.append(
        _(
            "This draft is generated from the data recorded in rightstrack on the date above. "
            "For each recommendation it gives the position, the measures taken, their status "
            "and the evidence, as in the matrix States use for voluntary mid-term reports. "
            "Check and complete it before it is submitted."
        )
    )
    if has_examples:
        document.notices.append(example_notice())

    document.add(Heading(_("Summary"), 1))
    positions = Counter(row.position for row in rows)
    statuses = Counter(row.implementation_status for row in rows)
    document.add(
        _count_chart(
            "chart-position",
            _("Recommendations by position"),
            _("The position the State took on each recommendation."),
            _("Position"),
            positions,
            Position.choices,
        ),
        _count_chart(
            "chart-implementation",
            _("Recommendations by implementation status"),
            _(
                "From the status of the measures answering each recommendation (the latest "
                "approved progress report of each)."
            ),
            _("Implementation status"),
            statuses,
            ImplementationStatus.choices,
        ),
    )
    if has_grades:
        grades = Counter(grade.grade for row in rows for grade in row.grades)
        chart = _count_chart(
            "chart-grade",
            _("The mechanism’s own assessment"),
            _("Grades the mechanism gave in its follow-up procedure, one per graded part."),
            _("Grade"),
            grades,
            [(value, f"{value}: {label}") for value, label in FollowUpGrade.choices],
        )
        document.add(chart)

    grouped = _grouped(rows, group)
    document.add(
        Table(
            columns=[
                Column(_("Cluster") if group == GROUP_CLUSTER else _("Theme"), 3),
                Column(_("Recommendations"), 1.2, numeric=True),
            ],
            rows=[[label, number_text(len(members))] for label, members in grouped],
            caption=_("Recommendations by cluster")
            if group == GROUP_CLUSTER
            else _("Recommendations by theme"),
        )
    )

    document.add(Heading(_("Recommendations and measures taken"), 1))
    if not rows:
        document.add(Paragraph(_("No recommendation to report on.")))
    # The recommendation's text is the long cell of a row: the widest column, so rows stay short
    # (the other cells are mostly a word or two: "Supported", "No measure recorded", "—").
    columns = [
        Column(_("Reference"), 1.3),
        Column(_("Recommendation"), 6.2),
        Column(_("Position"), 1.4),
        Column(_("Measures taken"), 3.2),
        Column(_("Implementation status"), 1.8),
        Column(_("Evidence"), 1.9),
    ]
    if has_grades:
        columns.append(Column(_("The mechanism’s own assessment"), 2.4))
    for label, members in grouped:
        document.add(Heading(label, 2))
        table_rows = []
        status_labels = dict(ImplementationStatus.choices)
        for row in members:
            cells = [
                _reference(row, with_symbol=document_source is None),
                _recommendation_cell(row, group),
                row.get_position_display(),
                _measures_cell(row),
                str(status_labels.get(row.implementation_status, row.implementation_status)),
                _evidence_cell(row, reports, base_url),
            ]
            if has_grades:
                cells.append(_grade_cell(row))
            table_rows.append(cells)
        document.add(Table(columns=columns, rows=table_rows))
    return document
