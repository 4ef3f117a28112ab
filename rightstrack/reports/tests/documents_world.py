"""A small world to report on, built with the other apps' factories (``build_world(users)``,
with the ``users`` fixture of rightstrack/accounts/tests/fixtures.py).

world.plan             published plan "Национальный план действий" (slug national-plan):
                       measure 1 (own agency): approved report, indicator, evidence link,
                       answers r_torture, r_disability and the CCPR observation;
                       measure 2 (other agency, example), no report;
                       measure 3: only a draft report with a draft evidence link
world.secret_plan      unpublished plan: one measure of the own agency, one of the other
recommendations        UPR cycle 2: r_torture (supported, theme Torture, in cluster "Justice
                       cluster"), r_disability (noted, theme Disabilities), r_unpublished;
                       UPR cycle 1: r_old; CCPR/C/BLR/CO/5: r_ccpr, graded E for "(a) and (b)"
world.presence         published presence (budget US$ 100,000): in 2023 two published activities
                       (30 + 12 participants, US$ 15,000 + 5,000) and one unpublished (7, US$ 900);
                       in 2022 one activity (50 participants)
world.hidden_presence  unpublished presence
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from rightstrack.activities.models import OrganizationKind
from rightstrack.activities.tests.factories import ActivityFactory, OrganizationFactory
from rightstrack.activities.tests.factories import PresenceFactory as ActivityPresenceFactory
from rightstrack.plans.models import StatusAssessment
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory, PlanFactory
from rightstrack.progress.models import Evidence, MechanismAssessment, ReportStatus
from rightstrack.progress.tests.factories import ReportFactory
from rightstrack.recommendations.models import DocumentKind, Position
from rightstrack.recommendations.tests.factories import (
    ClusterFactory,
    DocumentFactory,
    RecommendationFactory,
    term,
)
from rightstrack.reports.services import report_build
from rightstrack.taxonomy.models import Scheme

# The day the tests build their documents.
TODAY = datetime.date(2025, 5, 3)
EVIDENCE_URL = "https://example.org/evidence/judges-training-report-2024.pdf"
DRAFT_EVIDENCE_URL = "https://example.org/evidence/draft-only.pdf"


def report_builder(kind):
    """``build(user=None, fmt="docx", **params)``: the report of this kind, built on TODAY."""

    def build(user=None, fmt="docx", **params):
        return report_build(kind=kind, user=user, params=params, fmt=fmt, today=TODAY)

    return build


def build_world(users):
    own = users["focal_point"].agency
    other = users["outsider"].agency
    state = term(Scheme.STATE, "BLR", "Belarus")
    upr = term(Scheme.MECHANISM, "UPR", "Universal Periodic Review")
    ccpr = term(Scheme.MECHANISM, "CCPR", "Human Rights Committee")
    torture = term(Scheme.UHRI_THEME, "torture", "Torture")
    disabilities = term(Scheme.UHRI_THEME, "disabilities", "Disabilities")
    wg_report = DocumentFactory(symbol="A/HRC/43/5", kind=DocumentKind.UPR_WORKING_GROUP_REPORT)

    def upr_recommendation(**fields):
        return RecommendationFactory(
            state=state, mechanism=upr, document=wg_report, cycle=2, **fields
        )

    r_torture = upr_recommendation(
        number="117.1", text="Adopt a law criminalising torture", tags=[torture]
    )
    r_disability = upr_recommendation(
        number="117.2",
        text="Ratify the Optional Protocol on the rights of persons with disabilities",
        position=Position.NOTED,
        tags=[disabilities],
    )
    r_unpublished = upr_recommendation(
        number="117.3", text="An unpublished recommendation text", is_published=False
    )
    r_old = RecommendationFactory(
        state=state,
        mechanism=upr,
        document=DocumentFactory(symbol="A/HRC/15/16"),
        cycle=1,
        number="97.1",
        text="Old cycle recommendation on prisons",
    )
    co = DocumentFactory(
        symbol="CCPR/C/BLR/CO/5",
        title="Concluding observations on the fifth periodic report of Belarus",
        kind=DocumentKind.CONCLUDING_OBSERVATIONS,
        mechanism=ccpr,
        state=state,
        date=datetime.date(2018, 11, 22),
    )
    r_ccpr = RecommendationFactory(
        state=state,
        mechanism=ccpr,
        document=co,
        cycle=None,
        session=None,
        number="28",
        text="Consider abolishing the death penalty",
        position=Position.UNKNOWN,
    )
    MechanismAssessment.objects.create(
        source_key="test:ccpr:28",
        recommendation=r_ccpr,
        mechanism=ccpr,
        document_symbol="CCPR/C/137/2/Add.1",
        year=2023,
        part="(a) and (b)",
        grade="E",
    )
    ClusterFactory(name="Justice cluster", recommendations=[r_torture])

    plan = PlanFactory(name="Национальный план действий", slug="national-plan", state=state)
    measure_1 = MeasureFactory(
        plan=plan,
        number="1",
        title="Train judges on the prohibition of torture",
        budget_amount=Decimal("25000"),
        budget_currency="USD",
        agencies=[own],
        recommendations=[r_torture, r_disability, r_unpublished, r_ccpr],
    )
    IndicatorFactory(
        measure=measure_1, name="Judges trained", baseline="0", target="120", unit="judges"
    )
    measure_1.indicators.update(current_value="45")
    approved = ReportFactory(
        measure=measure_1,
        status=ReportStatus.APPROVED,
        status_assessment=StatusAssessment.PARTIALLY_IMPLEMENTED,
        narrative="<p>Forty-five judges were trained in 2024.</p>",
        agency=own,
    )
    Evidence.objects.create(report=approved, title="Training report 2024", url=EVIDENCE_URL)
    measure_2 = MeasureFactory(
        plan=plan, number="2", title="Open a shelter for victims", agencies=[other], is_example=True
    )
    measure_3 = MeasureFactory(plan=plan, number="3", title="Review the criminal code")
    draft = ReportFactory(measure=measure_3, status=ReportStatus.DRAFT, agency=own)
    Evidence.objects.create(report=draft, title="Draft evidence", url=DRAFT_EVIDENCE_URL)

    secret_plan = PlanFactory(name="Secret internal plan", slug="secret-plan", is_published=False)
    MeasureFactory(plan=secret_plan, number="1", title="Confidential own measure", agencies=[own])
    MeasureFactory(
        plan=secret_plan, number="2", title="Confidential other measure", agencies=[other]
    )

    pillar = term(Scheme.THEMATIC_PILLAR, "accountability", "Accountability")
    women = term(Scheme.SPOTLIGHT_POPULATION, "women", "Women")
    bar = OrganizationFactory(
        name="Belarusian Bar Association", kind=OrganizationKind.BAR_ASSOCIATION
    )
    donor = OrganizationFactory(name="European Union fund", kind=OrganizationKind.DONOR_FUND)
    presence = ActivityPresenceFactory(
        slug="belarus-test",
        title="UN Human Rights in Belarus",
        country=state,
        budget_amount=Decimal("100000"),
        budget_currency="USD",
    )
    ActivityFactory(
        presence=presence,
        title="Семинар для адвокатов",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 2),
        thematic_pillars=[pillar],
        target_populations=[women],
        partners=[bar],
        donors=[donor],
        participants_total=30,
        participants_women=20,
        participants_men=10,
        cost_amount=Decimal("15000"),
        measures=[measure_1],
    )
    ActivityFactory(
        presence=presence,
        title="Dialogue with civil society",
        start_date=datetime.date(2023, 9, 10),
        participants_total=12,
        cost_amount=Decimal("5000"),
    )
    ActivityFactory(
        presence=presence,
        title="Internal planning retreat",
        start_date=datetime.date(2023, 5, 5),
        participants_total=7,
        cost_amount=Decimal("900"),
        is_published=False,
    )
    ActivityFactory(
        presence=presence,
        title="Earlier workshop of 2022",
        start_date=datetime.date(2022, 6, 1),
        participants_total=50,
    )
    hidden_presence = ActivityPresenceFactory(
        slug="hidden-presence", title="Hidden presence", is_published=False
    )
    return SimpleNamespace(
        state=state,
        plan=plan,
        secret_plan=secret_plan,
        measure_1=measure_1,
        measure_2=measure_2,
        measure_3=measure_3,
        r_torture=r_torture,
        r_disability=r_disability,
        r_unpublished=r_unpublished,
        r_old=r_old,
        r_ccpr=r_ccpr,
        presence=presence,
        hidden_presence=hidden_presence,
    )
