"""The plan dashboard with the statuses and overdue reports that progress adds."""

import datetime
import re
from decimal import Decimal

import pytest

from rightstrack.plans.dashboard import plan_dashboard
from rightstrack.plans.tests.factories import (
    IndicatorFactory,
    MeasureFactory,
    RecommendationFactory,
    TermFactory,
)
from rightstrack.plans.tests.test_dashboard import TODAY, rows
from rightstrack.progress.models import ReportStatus
from rightstrack.recommendations.models import RecommendationTag, TagSource, TagStatus
from rightstrack.taxonomy.models import Scheme

from .factories import ReportFactory


@pytest.mark.django_db
def test_it_counts_the_plans_measures_by_status_agency_theme_and_budget(
    users, plan, agency, other_agency
):
    death_penalty = TermFactory(scheme=Scheme.UHRI_THEME, code="B1", label_en="Death penalty")
    torture = TermFactory(scheme=Scheme.UPR_INFO_ISSUE, code="torture", label_en="Torture")
    first_rec, second_rec = RecommendationFactory(), RecommendationFactory()
    RecommendationFactory()  # supported, not addressed
    RecommendationFactory(position="noted")
    RecommendationTag.objects.create(
        recommendation=first_rec, term=death_penalty, source=TagSource.IMPORTED
    )
    RecommendationTag.objects.create(
        recommendation=second_rec, term=torture, source=TagSource.IMPORTED
    )
    RecommendationTag.objects.create(
        recommendation=second_rec,
        term=death_penalty,
        source=TagSource.MACHINE,
        status=TagStatus.SUGGESTED,
    )
    shared = MeasureFactory(
        plan=plan,
        agencies=[agency, other_agency],
        recommendations=[first_rec, second_rec],
        budget_amount=Decimal("1000"),
        budget_currency="USD",
    )
    own = MeasureFactory(
        plan=plan,
        agencies=[agency],
        recommendations=[first_rec],
        budget_amount=Decimal("500"),
        budget_currency="USD",
    )
    MeasureFactory(
        plan=plan, budget_amount=Decimal("70"), budget_currency="BYN", agencies=[other_agency]
    )
    MeasureFactory(plan=plan)
    ReportFactory(measure=shared, status=ReportStatus.APPROVED, status_assessment="implemented")
    ReportFactory(measure=own, status=ReportStatus.SUBMITTED, status_assessment="implemented")
    IndicatorFactory(measure=own, first_due_date=datetime.date(2024, 3, 31))
    IndicatorFactory(measure=shared, first_due_date=datetime.date(2024, 7, 31))

    dashboard = plan_dashboard(user=users["coordinator"], plan=plan, today=TODAY)
    status, by_agency, by_theme, budget_byn, budget_usd = dashboard["charts"]
    assert dict(rows(status)) == {
        "No approved report yet": 3,
        "Not started": 0,
        "In progress": 0,
        "Partially implemented": 0,
        "Implemented": 1,
        "Not implemented": 0,
    }
    assert rows(by_agency) == [
        (other_agency.name, 2),
        (agency.name, 2),
        ("No agency assigned", 1),
    ]
    assert rows(by_theme) == [("Death penalty", 2), ("Torture", 1)]
    assert budget_usd.title == "Budget planned per agency (USD)"
    assert rows(budget_usd) == [
        (agency.name, Decimal("1500.00")),
        (other_agency.name, Decimal("1000.00")),
    ]
    assert rows(budget_byn) == [(other_agency.name, Decimal("70.00"))]
    coverage = dashboard["coverage"]
    assert (coverage.supported, coverage.covered, coverage.share) == (3, 2, 67)
    assert [(item.measure, item.due_date) for item in dashboard["overdue"]] == [
        (own, datetime.date(2024, 6, 30))
    ]
    assert dashboard["measure_count"] == 4
    assert dashboard["has_examples"] is False
    assert [term.code for term in dashboard["themes"]] == ["B1", "torture"]


@pytest.mark.django_db
def test_it_offers_the_themes_the_dashboard_counted_in_the_theme_filter(client, plan):
    theme = TermFactory(scheme=Scheme.UHRI_THEME, code="B1", label_en="Death penalty")
    issue = TermFactory(scheme=Scheme.UPR_INFO_ISSUE, code="torture", label_en="Torture")
    suggested = TermFactory(scheme=Scheme.UHRI_THEME, code="D2", label_en="Asylum")
    not_a_theme = TermFactory(scheme=Scheme.SDG_TARGET, code="16.3", label_en="Rule of law")
    answered, unanswered = RecommendationFactory(), RecommendationFactory()  # the second by none
    for term in (theme, issue, not_a_theme):
        RecommendationTag.objects.create(
            recommendation=answered, term=term, source=TagSource.IMPORTED
        )
    RecommendationTag.objects.create(
        recommendation=answered, term=suggested, source=TagSource.MACHINE, status="suggested"
    )
    RecommendationTag.objects.create(
        recommendation=unanswered, term=suggested, source=TagSource.IMPORTED
    )
    MeasureFactory(plan=plan, recommendations=[answered], title="Answers the themes")
    MeasureFactory(plan=plan, title="Answers none")

    # The whole page reads the themes from the dashboard's counts.
    page = client.get(plan.get_absolute_url()).text
    select = page.split('name="theme"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "B1", "torture"]
    assert plan_dashboard(user=None, plan=plan, today=TODAY)["themes"] == [theme, issue]
    # A partial (HTMX) has no dashboard: it asks for them, to apply the theme chosen.
    partial = {"HX-Request": "true"}
    by_theme = client.get(plan.get_absolute_url(), {"theme": "B1"}, headers=partial).text
    assert "Answers the themes" in by_theme and "Answers none" not in by_theme
    not_offered = client.get(plan.get_absolute_url(), {"theme": "D2"}, headers=partial).text
    assert "Answers the themes" in not_offered and "Answers none" in not_offered
