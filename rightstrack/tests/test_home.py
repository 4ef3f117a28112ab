"""The home page by role: what waits for each user, and the same counts in the menu."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts.tests.factories import AgencyFactory, UserFactory
from rightstrack.core.roles import Role
from rightstrack.core.tests.html_text import html_to_text as html_text
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory, PlanFactory
from rightstrack.progress.models import ModerationStatus, ReportStatus
from rightstrack.progress.tests.factories import AssessmentFactory, ReportFactory
from rightstrack.recommendations.models import ImportBatch
from rightstrack.recommendations.tests.factories import RecommendationFactory, TagFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def world():
    """Two agencies, each with an overdue report on a measure; the first also one due soon and
    one returned; a submitted report, a pending assessment, a tag suggestion and an import."""
    today = _today()
    plan = PlanFactory()
    mine, theirs = AgencyFactory(name_en="Ministry of Justice"), AgencyFactory(name_en="Police")
    late = MeasureFactory(plan=plan, number="1", title="Train judges", agencies=[mine])
    IndicatorFactory(
        measure=late,
        name="Trainings",
        reporting_frequency="annual",
        first_due_date=today - datetime.timedelta(days=40),
    )
    soon = MeasureFactory(plan=plan, number="2", title="Open legal aid offices", agencies=[mine])
    IndicatorFactory(
        measure=soon,
        name="Offices",
        reporting_frequency="annual",
        first_due_date=today + datetime.timedelta(days=10),
    )
    other = MeasureFactory(plan=plan, number="3", title="Police custody rules", agencies=[theirs])
    IndicatorFactory(
        measure=other,
        name="Rules",
        reporting_frequency="annual",
        first_due_date=today - datetime.timedelta(days=5),
    )
    focal = UserFactory(role=Role.FOCAL_POINT, agency=mine)
    returned = ReportFactory(
        measure=soon,
        agency=mine,
        author=focal,
        status=ReportStatus.RETURNED,
        review_comment="Add the number of offices opened.",
    )
    ReportFactory(measure=other, agency=theirs, status=ReportStatus.RETURNED)
    ReportFactory(measure=other, agency=theirs, status=ReportStatus.SUBMITTED)
    civil = UserFactory(role=Role.CIVIL_SOCIETY)
    AssessmentFactory(
        measure=late, author=civil, moderation=ModerationStatus.PENDING, organisation="NGO"
    )
    TagFactory(recommendation=RecommendationFactory(), machine_suggestion=True)
    ImportBatch.objects.create(
        format="upr-info", file_name="upr-info-session-40.csv", checksum="0" * 64, created=3
    )
    return {"focal": focal, "civil": civil, "returned": returned, "late": late, "soon": soon}


def _work_counts(response):
    """{work kind: count} as the home page lists them."""
    html = response.content.decode()
    return {
        key: int(count)
        for key, count in re.findall(
            r'data-work="([a-z_]+)">\s*<a [^>]*><span class="work-count">(\d+)</span>', html
        )
    }


def test_it_shows_a_focal_point_their_reports_due_overdue_and_returned(client, world):
    client.force_login(world["focal"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _work_counts(response) == {"reports_due": 2, "reports_returned": 1}
    text = html_text(response.content.decode())
    overdue_table = text.split("Overdue reports", 1)[1].split("Reports due within 30 days", 1)[0]
    assert "1 Train judges" in overdue_table
    assert "overdue by 40 days" in overdue_table
    assert "Open legal aid offices" not in overdue_table
    due_table = text.split("Reports due within 30 days", 1)[1].split("Returned for changes")[0]
    assert "2 Open legal aid offices" in due_table
    returned = text.split("Returned for changes", 1)[1]
    assert "Add the number of offices opened." in returned
    assert reverse("progress:report-edit", kwargs={"pk": world["returned"].pk}) in (
        response.content.decode()
    )
    # Another agency's measures and reports are not theirs.
    assert "Police custody rules" not in text
    # No coordinator's sections.
    assert "Agencies late with reports" not in text
    assert "Recent imports" not in text


def test_it_shows_a_coordinator_what_waits_for_review(client, world):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    response = client.get(reverse("home"))
    assert _work_counts(response) == {
        "reports_to_review": 1,
        "assessments_to_moderate": 1,
        "suggestions_to_review": 1,
        "merge_candidates": 0,
    }
    text = html_text(response.content.decode())
    agencies = text.split("Agencies late with reports", 1)[1].split("Recent imports", 1)[0]
    # The Ministry is 40 days late on one report, the Police 5 days on one: both listed, the
    # earliest due first when the numbers are equal.
    assert agencies.index("Ministry of Justice") < agencies.index("Police")
    assert "upr-info-session-40.csv" in text.split("Recent imports", 1)[1]
    assert "Your reports" not in text


def test_it_counts_the_work_in_the_menu_of_every_page(client, world):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    html = client.get(reverse("recommendations:list")).content.decode()
    menu = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert reverse("progress:review") in menu
    assert "Reports to review" in html_text(menu)
    assert re.search(r"waiting:\s*</span>1</span>", menu)


def test_it_leaves_out_of_the_menu_what_has_nothing_waiting(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    html = client.get(reverse("recommendations:list")).content.decode()
    menu = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert "menu-work" not in menu


def test_it_shows_civil_society_their_assessments_and_moderation(client, world):
    client.force_login(world["civil"])
    text = html_text(client.get(reverse("home")).content.decode())
    section = text.split("Your independent assessments", 1)[1]
    assert "1 Train judges" in section
    assert "Awaiting moderation" in section
    assert "What waits for you" not in text


def test_it_shows_the_public_key_figures_and_a_search_box(client, world):
    RecommendationFactory(is_published=False)
    response = client.get(reverse("home"))
    html = response.content.decode()
    text = html_text(html)
    figures = dict(
        re.findall(r'data-figure="(\w+)"><a [^>]*><span class="figure-value">([\d,]+)', html)
    )
    # One published recommendation (the tagged one) made to one State, one published plan with
    # three measures, no approved report; the unpublished recommendation is not counted.
    assert figures["recommendations"] == "1"
    assert figures["states"] == "1"
    assert figures["plans"] == "1"
    assert figures["measures"] == "3"
    assert figures["reports"] == "0"
    assert '<label for="home-q">' in html
    assert 'action="/recommendations/"' in html
    assert "What waits for you" not in text
    assert "menu-work" not in html


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        (None, 7),
        (Role.VIEWER, 13),
        (Role.CIVIL_SOCIETY, 11),
        (Role.FOCAL_POINT, 15),
        (Role.COORDINATOR, 14),
    ],
)
def test_it_reads_the_home_page_in_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, role, queries
):
    """The count does not grow with the data: the same after adding more of everything."""
    if role == Role.FOCAL_POINT:
        user = world["focal"]
    elif role:
        user = UserFactory(role=role)
    if role:
        client.force_login(user)
    client.get(reverse("home"))  # Warm caches of vocabularies and sessions.
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    plan = PlanFactory()
    agency = world["focal"].agency
    for number in range(5):
        measure = MeasureFactory(plan=plan, number=f"9.{number}", agencies=[agency])
        IndicatorFactory(measure=measure, first_due_date=_today() - datetime.timedelta(days=3))
        ReportFactory(measure=measure, agency=agency, status=ReportStatus.RETURNED)
        AssessmentFactory(measure=measure, author=world["civil"])
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
