"""The presence page as a live portfolio of its activities."""

from decimal import Decimal

import pytest

from rightstrack.activities.selectors import presence_portfolio
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.plans.models import MeasureStatus

from .factories import (
    ActivityFactory,
    MeasureFactory,
    OrganizationFactory,
    PlanFactory,
    PresenceFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(terms):
    presence = PresenceFactory(
        slug="belarus", title="UN Human Rights in Belarus", budget_amount=10000
    )
    partner = OrganizationFactory(name="Bar association")
    donor = OrganizationFactory(name="Human Rights Fund")
    # Kept by the progress services when a report is approved; set here directly.
    implemented = MeasureFactory(title="Legal aid law", status=MeasureStatus.IMPLEMENTED)
    addressed = RecommendationFactory(number="98.16")
    addressed.measures.add(implemented)
    not_addressed = RecommendationFactory(number="98.20")
    draft_plan_measure = MeasureFactory(plan=PlanFactory(is_published=False), title="Draft measure")
    training = ActivityFactory(
        presence=presence,
        title="Training",
        thematic_pillars=[terms["pillar:mechanisms"], terms["pillar:accountability"]],
        target_populations=[terms["population:women"]],
        participants_total=30,
        participants_women=18,
        participants_men=12,
        participants_with_disabilities=2,
        cost_amount=Decimal("1000"),
        cost_currency="USD",
        partners=[partner],
        donors=[donor],
        recommendations=[addressed, not_addressed],
        measures=[implemented, draft_plan_measure],
    )
    dialogue = ActivityFactory(
        presence=presence,
        title="Dialogue",
        type="dialogue",
        thematic_pillars=[terms["pillar:mechanisms"]],
        target_affected_persons=[terms["affected:media"]],
        participants_total=None,
        participants_women=5,
        cost_amount=None,
        partners=[partner],
    )
    draft = ActivityFactory(
        presence=presence,
        title="Draft study",
        type="assessment",
        is_published=False,
        participants_total=10,
        cost_amount=Decimal("500"),
        cost_currency="EUR",
    )
    ActivityFactory(title="Work of another presence", participants_total=999)
    return {
        "presence": presence,
        "training": training,
        "dialogue": dialogue,
        "draft": draft,
        "partner": partner,
        "donor": donor,
        "implemented": implemented,
        "addressed": addressed,
        "not_addressed": not_addressed,
    }


def _bars(chart):
    return [(bar.label, bar.value) for bar in chart.bars]


def test_it_counts_the_public_s_activities_by_pillar_type_and_target_group(work):
    portfolio = presence_portfolio(user=None, presence=work["presence"])

    assert [a.title for a in portfolio.activities] == ["Dialogue", "Training"]
    assert _bars(portfolio.by_pillar) == [("Mechanisms", 2), ("Accountability", 1)]
    assert _bars(portfolio.by_type) == [
        ("Training or capacity building", 1),
        ("Dialogue or consultation", 1),
    ]
    assert [(bar.label, bar.extra, bar.value) for bar in portfolio.by_target_group.bars] == [
        ("Women", ("Spotlight population",), 1),
        ("Media", ("Affected persons",), 1),
    ]
    # The longest bar fills the plot; one of half its value is drawn half as long.
    longest, half = portfolio.by_pillar.svg.rows
    assert longest.bar_width == portfolio.by_pillar.svg.plot_width
    assert half.bar_width == pytest.approx(longest.bar_width / 2, abs=0.1)
    assert portfolio.by_pillar.bars[0].href == "/activities/?presence=belarus&pillar=mechanisms"
    assert portfolio.without_pillar == 0
    assert portfolio.unpublished_count == 0


def test_it_sums_known_participants_only_and_says_how_many_did_not_report(work):
    portfolio = presence_portfolio(user=None, presence=work["presence"])

    figures = {
        figure.label: (figure.known_sum, figure.reported_by, figure.not_reported_by)
        for figure in portfolio.participants
    }
    assert figures == {
        "All participants": (30, 1, 1),
        "Women": (23, 2, 0),
        "Men": (12, 1, 1),
        "Persons with disabilities": (2, 1, 1),
    }


def test_it_sets_costs_in_the_budget_s_currency_against_the_needs(work):
    public = presence_portfolio(user=None, presence=work["presence"]).budget

    assert public.needs == Decimal("10000")
    assert public.recorded_cost == Decimal("1000")
    assert public.costed_count == 1
    assert public.not_costed_count == 1
    assert public.percent_of_needs == 10
    assert public.other_currencies == []


def test_it_shows_internal_readers_drafts_and_costs_in_other_currencies(users, work):
    portfolio = presence_portfolio(user=users["viewer"], presence=work["presence"])

    assert portfolio.activity_count == 3
    assert portfolio.unpublished_count == 1
    assert portfolio.without_pillar == 1
    assert portfolio.without_target_group == 1
    assert [
        (o.currency, o.amount, o.activity_count) for o in portfolio.budget.other_currencies
    ] == [("EUR", Decimal("500.00"), 1)]
    assert portfolio.budget.not_costed_count == 1
    assert portfolio.participants[0].known_sum == 40


def test_it_lists_partners_and_donors_with_what_they_took_part_in(work):
    portfolio = presence_portfolio(user=None, presence=work["presence"])

    assert [
        (part.organization.name, [a.title for a in part.activities]) for part in portfolio.partners
    ] == [("Bar association", ["Dialogue", "Training"])]
    assert [
        (part.organization.name, [a.title for a in part.activities]) for part in portfolio.donors
    ] == [("Human Rights Fund", ["Training"])]


def test_it_shows_supported_recommendations_and_measures_with_their_status(users, work):
    public = presence_portfolio(user=None, presence=work["presence"])
    internal = presence_portfolio(user=users["coordinator"], presence=work["presence"])

    assert [(s.item.number, s.status) for s in public.recommendations] == [
        ("98.16", "implemented"),
        ("98.20", "not-addressed"),
    ]
    assert public.recommendations[1].status_label == "Not addressed by a measure"
    # The measure of an unpublished plan is not shown to the public.
    assert [(s.item.title, s.status) for s in public.measures] == [("Legal aid law", "implemented")]
    assert sorted(s.item.title for s in internal.measures) == ["Draft measure", "Legal aid law"]
    statuses = {s.item.title: s.status_label for s in internal.measures}
    assert statuses["Draft measure"] == "No approved report yet"


def test_an_empty_portfolio_says_so(presence):
    portfolio = presence_portfolio(user=None, presence=presence)

    assert portfolio.activity_count == 0
    assert portfolio.by_pillar.is_empty
    assert [figure.known_sum for figure in portfolio.participants] == [0, 0, 0, 0]
    assert portfolio.budget.costed_count == 0
    assert portfolio.budget.percent_of_needs == 0


def test_the_presence_page_shows_the_portfolio_with_unknowns_as_not_reported(client, work):
    work["training"].participants_total = None
    work["training"].participants_women = None
    work["training"].participants_men = None
    work["training"].participants_with_disabilities = None
    work["training"].save()
    work["dialogue"].participants_women = None
    work["dialogue"].save()

    html = client.get(work["presence"].get_absolute_url()).content.decode()
    text = html_to_text(html)

    assert "The presence’s work 2 recorded activities or focus areas." in text
    assert (
        "Activities by thematic pillar Thematic pillar Activities Mechanisms 2 Accountability 1"
        in (text)
    )
    assert "All participants not reported 0 2" in text
    assert "Women not reported 0 2" in text
    assert "Annual budget needs US$ 10,000 Recorded cost of activities US$ 1,000 (10% of" in text
    assert "The cost of 1 activity is not known and is not counted." in text
    assert "98.16" in text and "Implemented" in text
    assert "Draft study" not in text
    assert "Work of another presence" not in text
    # Charts are pictures named by their title; the tables carry the same data for everyone,
    # each row linking to the activities it counts.
    assert (
        'role="img" aria-labelledby="portfolio-by-pillar-wide-title portfolio-by-pillar-wide-desc"'
        in html
    )
    assert (
        '<desc id="portfolio-by-pillar-wide-desc">Mechanisms: 2; Accountability: 1</desc>' in html
    )
    assert (
        '<th scope="row"><a href="/activities/?presence=belarus&amp;pillar=mechanisms">'
        "Mechanisms</a></th>"
    ) in html


def test_the_presence_page_offers_managers_to_record_an_activity(client_for, work):
    manager = client_for("coordinator").get(work["presence"].get_absolute_url()).content.decode()
    viewer = client_for("viewer").get(work["presence"].get_absolute_url()).content.decode()

    link = 'href="/activities/new/?presence=belarus"'
    assert link in manager
    assert link not in viewer
    assert "Draft study" in viewer


@pytest.mark.parametrize("count", [2, 20])
def test_the_portfolio_costs_a_fixed_number_of_queries(
    users, work, count, django_assert_max_num_queries
):
    for number in range(count):
        ActivityFactory(
            presence=work["presence"],
            title=f"More {number}",
            partners=[work["partner"]],
            measures=[work["implemented"]],
            recommendations=[work["addressed"]],
        )

    # activities, 7 prefetches, recommendation statuses
    with django_assert_max_num_queries(9):
        presence_portfolio(user=users["viewer"], presence=work["presence"])
