import datetime
from decimal import Decimal

import pytest

from rightstrack.plans.dashboard import plan_dashboard

from .factories import IndicatorFactory, MeasureFactory

TODAY = datetime.date(2024, 7, 10)


def rows(chart):
    return [(bar.label, bar.value) for bar in chart.bars]


@pytest.mark.django_db
def test_it_shows_the_public_no_overdue_list_and_marks_example_figures(users, plan):
    measure = MeasureFactory(plan=plan, is_example=True)
    IndicatorFactory(measure=measure, first_due_date=datetime.date(2024, 3, 31))
    dashboard = plan_dashboard(user=None, plan=plan, today=TODAY)
    assert dashboard["overdue"] == []
    assert dashboard["has_examples"] is True
    assert dashboard["coverage"].share is None


@pytest.mark.django_db
def test_it_draws_each_chart_with_its_data_table(client, plan, agency):
    MeasureFactory(
        plan=plan, agencies=[agency], budget_amount=Decimal("1234567"), budget_currency="USD"
    )
    text = client.get(plan.get_absolute_url()).text
    assert text.count('role="img"') == 3 * 2  # each chart drawn for wide and narrow screens
    assert 'aria-labelledby="chart-budget-usd-wide-title chart-budget-usd-wide-desc"' in text
    assert "<caption>Data: Budget planned per agency (USD)</caption>" in text
    assert "1,234,567" in text
