"""Plans, measures and reports shared by the plans and progress tests.

Built on the accounts fixtures: ``users["focal_point"]`` works for ``agency``, which is
responsible for ``measure``; ``users["outsider"]`` works for ``other_agency``, responsible for
``other_measure``. ``plan`` is published; ``unpublished_plan`` is not.
"""

import datetime

import pytest

from rightstrack.plans.models import PlanStatus

from .factories import IndicatorFactory, MeasureFactory, PlanFactory


@pytest.fixture
def agency(users):
    return users["focal_point"].agency


@pytest.fixture
def other_agency(users):
    return users["outsider"].agency


@pytest.fixture
def plan(db):
    return PlanFactory(name="Interagency Human Rights Plan", slug="interagency", is_published=True)


@pytest.fixture
def unpublished_plan(db):
    return PlanFactory(
        name="Second National Human Rights Action Plan",
        slug="second-nhrap",
        is_published=False,
        status=PlanStatus.DRAFT,
        adoption_date=None,
    )


@pytest.fixture
def measure(plan, agency):
    return MeasureFactory(plan=plan, number="1.1", title="Train judges", agencies=[agency])


@pytest.fixture
def other_measure(plan, other_agency):
    return MeasureFactory(
        plan=plan, number="1.2", title="Open legal aid offices", agencies=[other_agency]
    )


@pytest.fixture
def hidden_measure(unpublished_plan, agency):
    return MeasureFactory(
        plan=unpublished_plan, number="7", title="Draft a new law", agencies=[agency]
    )


@pytest.fixture
def indicator(measure):
    return IndicatorFactory(
        measure=measure,
        name="Judges trained",
        reporting_frequency="quarterly",
        first_due_date=datetime.date(2024, 3, 31),
    )
