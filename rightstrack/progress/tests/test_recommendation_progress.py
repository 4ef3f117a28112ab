import pytest
from django.template import Context, Template
from django.test import RequestFactory

from rightstrack.plans.tests.factories import MeasureFactory, RecommendationFactory
from rightstrack.progress.models import ReportStatus

from .factories import AssessmentFactory, ReportFactory


def render(recommendation, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load progress_tags %}{% recommendation_progress recommendation %}")
    return template.render(Context({"request": request, "recommendation": recommendation}))


@pytest.mark.django_db
def test_it_shows_a_recommendations_measures_status_and_assessments(
    users, plan, unpublished_plan, django_assert_max_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    recommendation = RecommendationFactory()
    shown = MeasureFactory(plan=plan, title="Shown measure", recommendations=[recommendation])
    MeasureFactory(plan=unpublished_plan, title="Hidden measure", recommendations=[recommendation])
    ReportFactory(measure=shown, status=ReportStatus.APPROVED, status_assessment="implemented")
    AssessmentFactory(measure=None, recommendation=recommendation, organisation="Bar association")
    with django_assert_max_num_queries(3):
        html = render(recommendation, AnonymousUser())
    assert "Shown measure" in html and "Hidden measure" not in html
    assert html.count("status-implemented") == 2
    assert "Bar association" in html and "Independent" in html
    assert "Add an independent assessment" not in html
    internal = render(recommendation, users["viewer"])
    assert "Hidden measure" in internal
    assert "partially implemented" in internal.lower()
    assert "Add an independent assessment" in render(recommendation, users["civil_society"])


@pytest.mark.django_db
def test_it_says_when_no_measure_addresses_a_recommendation(users):
    html = render(RecommendationFactory(), users["viewer"])
    assert "Not addressed by a measure" in html
