import pytest

from rightstrack.taxonomy.models import Scheme

from .factories import OrganizationFactory, PresenceFactory, TermFactory

PILLARS = ("mechanisms", "non-discrimination", "accountability", "participation")
POPULATIONS = ("women", "youth", "persons-with-disabilities")
AFFECTED = ("women", "persons-with-disabilities", "human-rights-defenders", "media")


@pytest.fixture
def terms(db):
    """The few terms activities refer to, made directly (independent of the vocabulary files):
    terms["pillar:mechanisms"], terms["population:women"], terms["affected:media"], …"""
    made = {"state:BLR": TermFactory(scheme=Scheme.STATE, code="BLR", label_en="Belarus")}
    for position, code in enumerate(PILLARS):
        made[f"pillar:{code}"] = TermFactory(
            scheme=Scheme.THEMATIC_PILLAR, code=code, position=position
        )
    for position, code in enumerate(POPULATIONS):
        made[f"population:{code}"] = TermFactory(
            scheme=Scheme.SPOTLIGHT_POPULATION, code=code, position=position
        )
    for position, code in enumerate(AFFECTED):
        made[f"affected:{code}"] = TermFactory(
            scheme=Scheme.AFFECTED_PERSONS, code=code, position=position
        )
    return made


@pytest.fixture
def presence(db):
    return PresenceFactory(slug="belarus", title="UN Human Rights in Belarus", budget_amount=823000)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Bar association of Minsk")


@pytest.fixture
def activity_data(terms, presence, organization):
    """A complete, valid input for activity_create."""
    return {
        "presence": "belarus",
        "type": "training",
        "title": "Training of lawyers on non-discrimination",
        "description": "Two days in Minsk.",
        "start_date": "2020-03-02",
        "end_date": "2020-03-03",
        "place": "Minsk",
        "partners": [organization.pk],
        "donors": [],
        "target_populations": ["women"],
        "target_affected_persons": ["persons-with-disabilities"],
        "thematic_pillars": ["non-discrimination"],
        "participants_total": 30,
        "participants_women": 18,
        "participants_men": 12,
        "participants_with_disabilities": 2,
        "outputs": "A training manual.",
        "outcomes": "",
        "cost_amount": "1500",
        "cost_currency": "USD",
        "recommendations": [],
        "measures": [],
    }
