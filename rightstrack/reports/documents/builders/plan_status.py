"""The plan status report: a cover; the measures summed up by status, agency and theme with
charts; then each measure with the recommendations it answers, its responsible agencies, its
latest approved progress, its indicators against their targets and the evidence."""

from django.utils.translation import gettext as _

from rightstrack.core.sanitize import html_to_lines
from rightstrack.plans.dashboard import plan_dashboard
from rightstrack.plans.models import MeasureStatus
from rightstrack.reports import selectors

from ..model import (
    BulletList,
    Column,
    Heading,
    KeyValues,
    Paragraph,
    Table,
)
from .common import (
    amount_text,
    date_text,
    evidence_link,
    example_notice,
    example_suffix,
    new_document,
    not_reported,
    period_text,
)


def _recommendation_reference(recommendation):
    parts = []
    if recommendation.document_id:
        parts.append(recommendation.document.symbol)
    if recommendation.number:
        parts.append(recommendation.number)
    if not parts:
        parts.append(recommendation.mechanism.short_label)
        if recommendation.session:
            parts.append(_("session %(session)s") % {"session": recommendation.session})
    return " ".join(parts)


def _status_label(value):
    return str(dict(MeasureStatus.choices).get(value, value))


def _measure_facts(measure):
    agencies = [agency.name for agency in measure.agency_list]
    themes = []
    for recommendation in measure.recommendations.all():
        for tag in recommendation.theme_tags:
            if tag.term.label not in themes:
                themes.append(tag.term.label)
    rows = [
        (_("Status"), _status_label(measure.derived_status)),
        (_("Responsible agencies"), not_reported(agencies)),
        (_("Start date"), not_reported(date_text(measure.start_date))),
        (_("Due date"), not_reported(date_text(measure.due_date))),
        (_("Budget"), not_reported(amount_text(measure.budget_amount, measure.budget_currency))),
    ]
    if measure.budget_source:
        rows.append((_("Budget source"), measure.budget_source))
    if measure.partners:
        rows.append((_("Partners"), measure.partners))
    if themes:
        rows.append((_("Themes"), "; ".join(themes)))
    return KeyValues(rows=rows)


def _recommendations_table(measure):
    rows = []
    for recommendation in measure.recommendations.all():
        text = recommendation.text
        if not recommendation.is_published:
            text = f"{text} ({_('not published')})"
        rows.append(
            [
                _recommendation_reference(recommendation),
                text,
                recommendation.get_position_display(),
            ]
        )
    return Table(
        columns=[
            Column(_("Reference"), 1.3),
            Column(_("Recommendation"), 5),
            Column(_("Position"), 1.3),
        ],
        rows=rows,
        empty_text=_("This measure is not linked to any recommendation yet."),
    )


def _progress_blocks(reports):
    blocks = [Heading(_("Latest approved progress"), 3)]
    if not reports:
        return [*blocks, Paragraph(_("No approved progress report yet."))]
    latest = reports[0]
    facts = [
        (_("Period"), period_text(latest.period_start, latest.period_end)),
        (
            _("Status assessment"),
            latest.get_status_assessment_display() + example_suffix(latest.is_example),
        ),
    ]
    if latest.agency_id:
        facts.append((_("Reporting agency"), latest.agency.name))
    if latest.reviewed_at:
        facts.append((_("Approved on"), date_text(latest.reviewed_at.date())))
    blocks.append(KeyValues(rows=facts))
    narrative = html_to_lines(latest.narrative)
    if narrative:
        blocks.append(Paragraph(narrative))
    return blocks


def _indicators_table(measure):
    rows = [
        [
            indicator.name,
            indicator.unit,
            indicator.baseline,
            indicator.target,
            indicator.current_value or _("not reported"),
            indicator.get_reporting_frequency_display(),
        ]
        for indicator in measure.indicators.all()
    ]
    return Table(
        columns=[
            Column(_("Indicator"), 3.2),
            Column(_("Unit"), 1.2),
            Column(_("Baseline"), 1),
            Column(_("Target"), 1),
            Column(_("Current value"), 1.1),
            Column(_("Reporting"), 1.2),
        ],
        rows=rows,
        empty_text=_("No indicators yet."),
    )


def _evidence_blocks(reports, base_url):
    items = []
    for report in reports:
        period = period_text(report.period_start, report.period_end)
        for evidence in report.evidence.all():
            items.append(
                [
                    evidence_link(evidence, base_url=base_url),
                    _("Progress report for %(period)s") % {"period": period},
                ]
            )
    blocks = [Heading(_("Evidence"), 3)]
    if not items:
        return [*blocks, Paragraph(_("No evidence recorded in approved reports."))]
    return [*blocks, BulletList(items=items)]


def build(*, user, selection, today, base_url):
    plan = selection["plan"]
    dashboard = plan_dashboard(user=user, plan=plan, today=today)
    measures = selectors.plan_measures(user=user, plan=plan)
    reports = selectors.approved_reports_by_measure(
        user=user, measure_ids=[measure.pk for measure in measures]
    )
    has_examples = (
        plan.is_example
        or any(measure.is_example for measure in measures)
        or any(report.is_example for listed in reports.values() for report in listed)
    )

    document = new_document(
        title=_("Plan status report"),
        subtitle=plan.name + example_suffix(plan.is_example),
        user=user,
        today=today,
    )
    document.facts = [
        (_("State"), plan.state.label),
        (_("Period"), not_reported(plan.period)),
        (_("Plan status"), plan.get_status_display()),
        (_("Adoption date"), not_reported(date_text(plan.adoption_date))),
        (_("Published"), _("Yes") if plan.is_published else _("No, internal only")),
        (_("Measures"), str(len(measures))),
    ]
    if has_examples:
        document.notices.append(example_notice())

    document.add(Heading(_("Summary"), 1))
    coverage = dashboard["coverage"]
    if coverage.share is None:
        document.add(
            Paragraph(
                _("No supported recommendation made to %(state)s is recorded yet.")
                % {"state": plan.state.label}
            )
        )
    else:
        document.add(
            Paragraph(
                _(
                    "%(covered)s of %(supported)s supported recommendations are addressed by "
                    "at least one measure of this plan."
                )
                % {"covered": coverage.covered, "supported": coverage.supported}
                + f" ({coverage.share}%)"
            )
        )
    document.add(*dashboard["charts"])

    document.add(Heading(_("Measures"), 1))
    if not measures:
        document.add(Paragraph(_("No measures yet.")))
    for measure in measures:
        measure_reports = reports.get(measure.pk, [])
        document.add(
            Heading(f"{measure.number}. {measure.title}{example_suffix(measure.is_example)}", 2),
            _measure_facts(measure),
        )
        description = [line for line in measure.description.splitlines() if line.strip()]
        if description:
            document.add(Paragraph(description))
        document.add(Heading(_("Recommendations answered"), 3), _recommendations_table(measure))
        document.add(*_progress_blocks(measure_reports))
        document.add(Heading(_("Indicators against targets"), 3), _indicators_table(measure))
        document.add(*_evidence_blocks(measure_reports, base_url))
    return document
