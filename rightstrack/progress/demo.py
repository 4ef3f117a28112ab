"""Demo content: the Human Rights Committee's own follow-up grades of Belarus, when the real data
is beside the project, and the example progress reports and independent assessment of the demo
plans' example measures (see plans/demo.py). Loading again changes nothing."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rightstrack.core.roles import Role
from rightstrack.plans.demo import PLANS, demo_administrator, demo_user
from rightstrack.plans.models import Measure
from rightstrack.plans.schedule import add_months
from rightstrack.recommendations.imports.service import already_imported

from .followup import FOLLOWUP_FORMAT
from .services import (
    assessment_create,
    assessment_moderate,
    followup_import,
    report_approve,
    report_create,
    report_submit,
)

DEMO_FOLLOWUP = "ccpr-followup/belarus_ccpr_followup_grades.csv"

EXAMPLE_NARRATIVE = {
    "approved": (
        "EXAMPLE REPORT, NOT REAL DATA. A working group of the ministries met twice and "
        "compared the models of national human rights institutions of the region; a draft "
        "feasibility study is being written."
    ),
    "submitted": (
        "EXAMPLE REPORT, NOT REAL DATA. Two trainings on non-discrimination were held for "
        "judges and lawyers; the course for businesses is being prepared with UN partners."
    ),
}
EXAMPLE_ASSESSMENT = (
    "EXAMPLE ASSESSMENT, NOT REAL DATA. Civil society organisations were not consulted on the "
    "study; we consider the measure not started in practice."
)


def load_demo_followup(*, stdout=None):
    """Import the demo follow-up grades; returns the batch, or None without the real data."""
    path = settings.SHARED_DATA_DIR / DEMO_FOLLOWUP
    if not path.is_file():
        if stdout is not None:
            stdout.write(f"Follow-up grades: {DEMO_FOLLOWUP} not found; none imported.")
        return None
    if already_imported(format=FOLLOWUP_FORMAT, path=path):
        # Not even a new batch record: loading the demo twice changes nothing.
        if stdout is not None:
            stdout.write(f"Follow-up grades from {path.name}: imported already.")
        return None
    batch = followup_import(actor=None, path=path)
    if stdout is not None:
        stdout.write(
            f"Follow-up grades from {path.name}: created {batch.created}, updated "
            f"{batch.updated}, unchanged {batch.unchanged}"
        )
    return batch


def _example_report(*, measure, outcome, assessment, reporter, reviewer, today):
    if measure.reports.exists():
        return
    period_end = today - timedelta(days=50)
    report = report_create(
        actor=reporter,
        measure=measure,
        is_example=True,
        data={
            "period_start": add_months(period_end, -6) + timedelta(days=1),
            "period_end": period_end,
            "status_assessment": assessment,
            "narrative": EXAMPLE_NARRATIVE[outcome],
        },
    )
    report_submit(actor=reporter, report=report)
    if outcome == "approved":
        report_approve(actor=reviewer, report=report, comment="Example review: thank you.")


def _example_assessment(*, measure, author, moderator):
    if author is None or measure.independent_assessments.exists():
        return
    assessment = assessment_create(
        actor=author,
        measure=measure,
        is_example=True,
        data={
            "organisation": "Example civil society coalition",
            "status_assessment": "not-started",
            "narrative": EXAMPLE_ASSESSMENT,
        },
    )
    assessment_moderate(actor=moderator, assessment=assessment, publish=True)


@transaction.atomic
def load_demo_reports(*, plans, actor=None):
    """The example reports of the demo plans' measures (by their specs in plans/demo.py) and
    one published example assessment; ``plans`` are those load_demo_plans returned."""
    actor = actor or demo_administrator()
    if not plans or actor is None:
        return
    today = timezone.localdate()
    reporter = demo_user("demo-focal-point", Role.FOCAL_POINT) or actor
    reviewer = demo_user("demo-coordinator", Role.COORDINATOR) or actor
    by_slug = {plan.slug: plan for plan in plans}
    for spec in PLANS:
        plan = by_slug.get(spec["slug"])
        for measure_spec in spec["measures"] if plan else ():
            measure = Measure.objects.filter(plan=plan, number=measure_spec["number"]).first()
            if measure is None or "report" not in measure_spec:
                continue
            reporting = reporter
            if reporter.agency_id not in {a.pk for a in measure.responsible_agencies.all()}:
                reporting = actor
            outcome, assessment = measure_spec["report"]
            _example_report(
                measure=measure,
                outcome=outcome,
                assessment=assessment,
                reporter=reporting,
                reviewer=reviewer,
                today=today,
            )
    first_measure = Measure.objects.filter(plan=plans[0], number="1").first()
    if first_measure is not None:
        _example_assessment(
            measure=first_measure,
            author=demo_user("demo-civil-society", Role.CIVIL_SOCIETY),
            moderator=reviewer,
        )
