"""The annual summary of a field presence: its profile, then the activities of the year by pillar,
type and target group, with participants, partners and donors, and the budget needs against the
recorded cost. Figures are sums over known values; each says how many activities did not report
it, so an unknown number is never counted as zero (see activities.portfolio)."""

from dataclasses import replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rightstrack.activities.portfolio import build_portfolio
from rightstrack.core.charts import Bar, BarChart
from rightstrack.core.sanitize import html_to_lines
from rightstrack.presences.templatetags.presences import deployment_years
from rightstrack.reports import selectors

from ..model import BulletList, Column, Heading, KeyValues, Paragraph, Table
from .common import (
    amount_text,
    example_notice,
    example_suffix,
    new_document,
    not_reported,
    number_text,
    period_text,
)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _terms(terms):
    return "; ".join(term.label for term in terms) or _("not reported")


def _profile(presence):
    contact = [
        value
        for value in (
            presence.contact_division,
            presence.contact_section,
            presence.contact_location,
            presence.contact_email,
        )
        if value
    ]
    rows = [
        (_("Country"), presence.country.label if presence.country_id else _("not reported")),
        (_("Type of engagement"), presence.get_engagement_type_display()),
        (_("Region"), not_reported(presence.get_region_display() if presence.region else "")),
        (_("Years of deployment"), not_reported(deployment_years(presence))),
        (_("Field offices"), not_reported(_lines(presence.field_offices))),
        (_("Number of staff"), not_reported(number_text(presence.staff_count))),
        (
            _("Annual budget needs"),
            not_reported(amount_text(presence.budget_amount, presence.budget_currency)),
        ),
        (_("Partners"), not_reported(_lines(presence.partners))),
        (_("Donors"), not_reported(_lines(presence.donors))),
        (_("Thematic pillars"), _terms(presence.thematic_pillars.all())),
        (_("Shifts"), _terms(presence.shifts.all())),
        (_("Spotlight populations"), _terms(presence.spotlight_populations.all())),
    ]
    if presence.last_reviewed:
        rows.append((_("Last reviewed"), date_format(presence.last_reviewed, "YEAR_MONTH_FORMAT")))
    if contact:
        rows.append((_("Contact"), contact))
    return KeyValues(rows=rows)


def _chart(chart, description, *, grouped=False):
    """A portfolio chart with the document's description (which says what the page's footnote
    says). A picture has no room for the table's vocabulary column: a target group's label
    names its vocabulary instead."""
    bars = chart.bars
    if grouped:
        bars = tuple(replace(bar, label=f"{bar.label} ({bar.extra[0]})", extra=()) for bar in bars)
    return replace(chart, description=description, bars=bars, extra_headings=(), footnote="")


def _participants_table(portfolio):
    return Table(
        columns=[
            Column(_("Participants"), 3),
            Column(_("Sum of known figures"), 1.5, numeric=True),
            Column(_("Activities reporting it"), 1.5, numeric=True),
            Column(_("Activities not reporting it"), 1.5, numeric=True),
        ],
        rows=[
            [
                figure.label,
                number_text(figure.known_sum),
                number_text(figure.reported_by),
                number_text(figure.not_reported_by),
            ]
            for figure in portfolio.participants
        ],
    )


def _taking_part_table(taking_part, empty_text):
    return Table(
        columns=[
            Column(_("Organization"), 2.5),
            Column(_("Kind"), 1.5),
            Column(_("Activities"), 4),
        ],
        rows=[
            [
                entry.organization.name,
                entry.organization.get_kind_display(),
                [activity.title for activity in entry.activities],
            ]
            for entry in taking_part
        ],
        empty_text=empty_text,
    )


def _budget_blocks(portfolio):
    budget = portfolio.budget
    rows = [
        (_("Annual budget needs"), not_reported(amount_text(budget.needs, budget.currency))),
        (_("Recorded cost of the activities"), amount_text(budget.recorded_cost, budget.currency)),
    ]
    if budget.percent_of_needs is not None:
        rows.append((_("Share of the budget needs"), f"{budget.percent_of_needs}%"))
    rows.append((_("Activities with a recorded cost"), number_text(budget.costed_count)))
    rows.append((_("Activities without a recorded cost"), number_text(budget.not_costed_count)))
    for other in budget.other_currencies:
        rows.append(
            (
                _("Costs in %(currency)s (not added up)") % {"currency": other.currency},
                _("%(amount)s over %(count)s activities")
                % {
                    "amount": amount_text(other.amount, other.currency),
                    "count": number_text(other.activity_count),
                },
            )
        )
    blocks = [KeyValues(rows=rows)]
    if budget.needs is not None:
        blocks.append(
            BarChart(
                id="chart-budget",
                title=_("Budget needs against recorded cost (%(currency)s)")
                % {"currency": budget.currency},
                description=_(
                    "The presence's annual budget needs and the sum of the costs recorded for "
                    "these activities in the same currency."
                ),
                label_heading=_("Amount"),
                value_heading=budget.currency,
                bars=[
                    Bar(
                        label=_("Annual budget needs"),
                        value=budget.needs,
                        value_text=amount_text(budget.needs, budget.currency),
                    ),
                    Bar(
                        label=_("Recorded cost"),
                        value=budget.recorded_cost,
                        value_text=amount_text(budget.recorded_cost, budget.currency),
                    ),
                ],
            )
        )
    return blocks


def _activities_table(activities):
    rows = []
    for activity in activities:
        title = activity.title
        if not activity.is_published:
            title = f"{title} ({_('not published')})"
        rows.append(
            [
                title,
                not_reported(period_text(activity.start_date, activity.end_date)),
                activity.get_type_display(),
                [term.label for term in activity.thematic_pillars.all()] or "—",
                not_reported(number_text(activity.participants_total)),
                not_reported(
                    amount_text(activity.cost_amount, activity.cost_currency)
                    if activity.cost_amount is not None
                    else ""
                ),
            ]
        )
    return Table(
        columns=[
            Column(_("Activity"), 4),
            Column(_("Dates"), 2),
            Column(_("Type"), 1.8),
            Column(_("Thematic pillars"), 2),
            Column(_("Participants"), 1.2, numeric=True),
            Column(_("Cost"), 1.4, numeric=True),
        ],
        rows=rows,
        empty_text=_("No activity recorded."),
    )


def _supported_blocks(portfolio):
    blocks = []
    if portfolio.recommendations:
        blocks += _supported_table(
            _("Recommendations supported"),
            [_("Recommendation"), _("Implementation status")],
            [(str(entry.item), entry) for entry in portfolio.recommendations],
        )
    if portfolio.measures:
        blocks += _supported_table(
            _("Plan measures supported"),
            [_("Measure"), _("Status")],
            [
                (
                    f"{entry.item.plan.name}, {entry.item.number}. {entry.item.title}"
                    f"{example_suffix(entry.item.is_example)}",
                    entry,
                )
                for entry in portfolio.measures
            ],
        )
    return blocks


def _supported_table(heading, headings, described_entries):
    """A heading and a table of what the activities supported: each item, its status, and the
    activities that supported it."""
    item_heading, status_heading = headings
    return [
        Heading(heading, 3),
        Table(
            columns=[
                Column(item_heading, 5),
                Column(status_heading, 1.5),
                Column(_("Activities"), 2.5),
            ],
            rows=[
                [text, entry.status_label, [activity.title for activity in entry.activities]]
                for text, entry in described_entries
            ],
        ),
    ]


def build(*, user, selection, today, base_url):
    presence = selection["presence"]
    year = selection.get("year")
    activities = selectors.presence_activities(user=user, presence=presence, year=year)
    portfolio = build_portfolio(presence=presence, activities=activities, user=user)
    year_label = str(year) if year is not None else _("All years")

    document = new_document(
        title=_("Field presence annual summary"),
        subtitle=f"{presence.title} — {year_label}",
        user=user,
        today=today,
    )
    document.facts = [
        (_("Field presence"), presence.title),
        (_("Year"), year_label),
        (_("Activities"), number_text(len(activities))),
        (_("Published"), _("Yes") if presence.is_published else _("No, internal only")),
    ]
    if any(entry.item.is_example for entry in portfolio.measures):
        document.notices.append(example_notice())

    document.add(Heading(_("Profile"), 1), _profile(presence))
    focus = html_to_lines(presence.areas_of_focus)
    if focus:
        document.add(Heading(_("Areas of focus"), 2), *[Paragraph(line) for line in focus])

    if year is None:
        heading = _("Activities (all years)")
        scope_note = _("All the activities recorded for the presence, whatever their dates.")
    else:
        heading = _("Activities of %(year)s") % {"year": year}
        scope_note = _("Activities under way at some time in %(year)s.") % {"year": year}
        undated = selectors.undated_activity_count(user=user, presence=presence)
        if undated:
            scope_note += " " + _(
                "%(count)s activities without dates are not counted in any year."
            ) % {"count": number_text(undated)}
    document.add(Heading(heading, 1), Paragraph(scope_note))
    document.add(
        _chart(
            portfolio.by_pillar,
            _("An activity counts once for each of its pillars; %(count)s have none.")
            % {"count": number_text(portfolio.without_pillar)},
        ),
        _chart(
            portfolio.by_target_group,
            _("An activity counts once for each group it targets; %(count)s target none.")
            % {"count": number_text(portfolio.without_target_group)},
            grouped=True,
        ),
        _chart(portfolio.by_type, _("Each activity counts once.")),
    )
    document.add(Heading(_("Participants"), 2), _participants_table(portfolio))
    document.add(
        Heading(_("Partners"), 2),
        _taking_part_table(portfolio.partners, _("No partner recorded.")),
        Heading(_("Donors"), 2),
        _taking_part_table(portfolio.donors, _("No donor recorded.")),
    )
    document.add(Heading(_("Budget needs and recorded cost"), 2), *_budget_blocks(portfolio))
    document.add(Heading(_("List of activities"), 2), _activities_table(activities))
    outputs = [
        [f"{activity.title}: {line}" for line in _lines(activity.outputs)]
        for activity in activities
        if activity.outputs
    ]
    if outputs:
        document.add(
            Heading(_("Outputs"), 3),
            BulletList(items=[line for lines in outputs for line in lines]),
        )
    supported = _supported_blocks(portfolio)
    if supported:
        document.add(Heading(_("Recommendations and measures supported"), 2), *supported)
    return document
