"""A small world of published and unpublished records for the portal and open-data tests.

Everything that must never be public carries "secret" in a name, a title or a text, so a test can
look for that one word in a page or a download. The vocabularies are public as a whole, so no
term is named "secret".
"""

import datetime
from types import SimpleNamespace

from rightstrack.accounts.tests.factories import AgencyFactory
from rightstrack.activities.tests.factories import ActivityFactory, OrganizationFactory
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory, PlanFactory
from rightstrack.presences.tests.factories import PresenceFactory
from rightstrack.progress.models import (
    FollowUpGrade,
    MechanismAssessment,
    ModerationStatus,
    ReportStatus,
    StatusAssessment,
)
from rightstrack.progress.tests.factories import AssessmentFactory, ReportFactory
from rightstrack.recommendations.models import Position, Recommendation
from rightstrack.recommendations.sources import ensure_sources
from rightstrack.recommendations.tests.factories import (
    DocumentFactory,
    RecommendationFactory,
    TagFactory,
    term,
)
from rightstrack.taxonomy.models import Scheme

SECRET = "secret"


def build_world():
    """The records; returns them as attributes (world.plan, world.secret_plan, …)."""
    w = SimpleNamespace()
    w.state = term(Scheme.STATE, "BLR", "Belarus")
    w.other_state = term(Scheme.STATE, "FRA", "France")
    w.upr = term(Scheme.MECHANISM, "UPR", "Universal Periodic Review")
    w.ccpr = term(Scheme.MECHANISM, "CCPR", "Human Rights Committee")
    w.torture = term(Scheme.UHRI_THEME, "D25", "Prohibition of torture")
    w.suggested_theme = term(Scheme.UHRI_THEME, "G1", "Members of minorities (suggested)")
    w.pillar = term(Scheme.THEMATIC_PILLAR, "accountability", "Accountability")

    document = DocumentFactory(symbol="A/HRC/15/16", title="Report of the Working Group")
    w.secret_document = DocumentFactory(symbol="A/SECRET/1", title="Secret document")
    w.recommendation = RecommendationFactory(
        state=w.state,
        mechanism=w.upr,
        document=document,
        number="98.1",
        text='Ratify the Convention, "promptly", and report back;\nin full.',
        position=Position.SUPPORTED,
        tags=[w.torture],
    )
    w.pending_tag = TagFactory(
        recommendation=w.recommendation,
        term=w.suggested_theme,
        machine_suggestion=True,
        confidence=0.7,
    )
    w.noted = RecommendationFactory(
        state=w.state,
        mechanism=w.ccpr,
        document=document,
        number="12",
        text="Abolish the death penalty.",
        position=Position.NOTED,
    )
    w.secret_recommendation = RecommendationFactory(
        state=w.state,
        mechanism=w.ccpr,
        document=w.secret_document,
        text="A secret recommendation nobody may see.",
        is_published=False,
        tags=[w.torture],
    )
    w.agency = AgencyFactory(code="moj", name_en="Ministry of Justice")
    w.secret_agency = AgencyFactory(code="secret-agency", name_en="Secret agency")

    w.plan = PlanFactory(state=w.state, name="Interagency Human Rights Plan", slug="ihrp")
    w.secret_plan = PlanFactory(
        state=w.state, name="Secret draft plan", slug="secret-plan", is_published=False
    )
    w.measure = MeasureFactory(
        plan=w.plan,
        number="1",
        title="Train judges",
        agencies=[w.agency],
        recommendations=[w.recommendation, w.secret_recommendation],
        budget_amount="1500.50",
        budget_currency="USD",
    )
    w.secret_measure = MeasureFactory(
        plan=w.secret_plan,
        number="1",
        title="Secret measure",
        agencies=[w.secret_agency],
        recommendations=[w.noted],
    )
    IndicatorFactory(measure=w.measure, name="Judges trained")
    IndicatorFactory(measure=w.secret_measure, name="Secret indicator")

    w.report = ReportFactory(
        measure=w.measure,
        agency=w.agency,
        status=ReportStatus.APPROVED,
        status_assessment=StatusAssessment.IMPLEMENTED,
        narrative="<p>Approved narrative: 120 judges trained.</p>",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
        ReportFactory(
            measure=w.measure,
            agency=w.agency,
            status=status,
            status_assessment=StatusAssessment.NOT_IMPLEMENTED,
            narrative=f"<p>A secret {status} report.</p>",
            period_start=datetime.date(2024, 7, 1),
            period_end=datetime.date(2024, 12, 31),
        )
    # Approved, but on a plan that is not published: the measure's status follows it.
    ReportFactory(
        measure=w.secret_measure,
        agency=w.secret_agency,
        status=ReportStatus.APPROVED,
        status_assessment=StatusAssessment.IMPLEMENTED,
        narrative="<p>Approved on the secret plan.</p>",
    )
    AssessmentFactory(measure=w.measure, organisation="Helsinki Committee", narrative="<p>Ok</p>")
    AssessmentFactory(
        measure=w.measure,
        organisation="Secret pending organisation",
        moderation=ModerationStatus.PENDING,
    )
    for recommendation, symbol in (
        (w.noted, "CCPR/C/BLR/FU/1"),
        (w.secret_recommendation, "SECRET/FU"),
    ):
        MechanismAssessment.objects.create(
            source_key=f"followup:{symbol}",
            recommendation=recommendation,
            mechanism=w.ccpr,
            document_symbol=symbol,
            year=2020,
            grade=FollowUpGrade.B,
        )

    w.presence = PresenceFactory(
        slug="belarus",
        title="UN Human Rights in Belarus",
        country=w.state,
        role_summary="The Senior Human Rights Adviser works with the UN Country Team.",
        thematic_pillars=[w.pillar],
    )
    w.secret_presence = PresenceFactory(
        slug="secret-presence", title="Secret presence", country=w.state, is_published=False
    )
    w.partner = OrganizationFactory(name="Bar association of Minsk")
    w.secret_partner = OrganizationFactory(name="Secret partner")
    w.activity = ActivityFactory(
        presence=w.presence,
        title="Training of lawyers",
        partners=[w.partner],
        recommendations=[w.recommendation, w.secret_recommendation],
        measures=[w.measure, w.secret_measure],
        participants_total=None,
    )
    ActivityFactory(
        presence=w.presence,
        title="Secret activity",
        partners=[w.secret_partner],
        is_published=False,
    )
    ActivityFactory(presence=w.secret_presence, title="Secret activity of a secret presence")
    # Every recommendation with its one source record, as an import writes them.
    ensure_sources(list(Recommendation.objects.values_list("pk", flat=True)))
    return w
