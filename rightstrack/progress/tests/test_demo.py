import io

import pytest

from rightstrack.accounts.tests.factories import AgencyFactory, UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.plans.demo import load_demo_plans
from rightstrack.plans.tests.factories import belarus
from rightstrack.progress.demo import load_demo_reports
from rightstrack.progress.models import IndependentAssessment, ProgressReport, ReportStatus


@pytest.fixture
def demo_plans(db):
    belarus()
    agency = AgencyFactory(code="mfa-by", name_en="Ministry of Foreign Affairs (demo)")
    focal = UserFactory(username="demo-focal-point", role=Role.FOCAL_POINT, agency=agency)
    UserFactory(username="demo-admin", role=Role.ADMINISTRATOR)
    UserFactory(username="demo-coordinator", role=Role.COORDINATOR)
    UserFactory(username="demo-civil-society", role=Role.CIVIL_SOCIETY)
    return load_demo_plans(stdout=io.StringIO()), focal


def test_it_adds_example_reports_and_an_assessment_to_the_demo_measures_once(demo_plans):
    plans, focal = demo_plans

    load_demo_reports(plans=plans)

    reports = ProgressReport.objects.all()
    assert sorted(reports.values_list("status", flat=True)) == [
        ReportStatus.APPROVED,
        ReportStatus.SUBMITTED,
    ]
    assert all(report.is_example for report in reports)
    assert all("EXAMPLE" in report.narrative for report in reports)
    assert reports.get(status=ReportStatus.SUBMITTED).author == focal
    assessment = IndependentAssessment.objects.get()
    assert assessment.is_example and assessment.moderation == "published"

    entries = AuditEntry.objects.count()
    load_demo_reports(plans=plans)
    assert AuditEntry.objects.count() == entries


def test_it_adds_nothing_without_demo_plans(db):
    load_demo_reports(plans=[])

    assert not ProgressReport.objects.exists()
