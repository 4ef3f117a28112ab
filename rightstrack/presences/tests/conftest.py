import pytest

from rightstrack.taxonomy.models import Scheme

from .factories import TermFactory

PILLARS = (
    (
        "mechanisms",
        "Mechanisms",
        "Increasing implementation of the international human rights mechanisms outcomes",
    ),
    ("development", "Development", "Advancing sustainable development through human rights"),
    (
        "non-discrimination",
        "Non-discrimination",
        "Enhancing equality and countering discrimination",
    ),
    (
        "accountability",
        "Accountability",
        "Strengthening rule of law and accountability for human rights violations",
    ),
    (
        "participation",
        "Participation",
        "Enhancing & protecting civic space and people's participation",
    ),
)


@pytest.fixture
def vocabulary(db):
    """The few terms presences refer to, made directly (independent of the built-in files)."""
    terms = {
        "BLR": TermFactory(
            scheme=Scheme.STATE, code="BLR", label_en="Belarus", label_ru="Беларусь"
        ),
        "UKR": TermFactory(scheme=Scheme.STATE, code="UKR", label_en="Ukraine"),
        "ARM": TermFactory(scheme=Scheme.STATE, code="ARM", label_en="Armenia"),
    }
    for position, (code, label, description) in enumerate(PILLARS):
        terms[code] = TermFactory(
            scheme=Scheme.THEMATIC_PILLAR,
            code=code,
            label_en=label,
            description_en=description,
            position=position,
        )
    for position, (code, label) in enumerate(
        [("inequalities", "Inequalities"), ("civic-space", "Civic space")]
    ):
        terms[code] = TermFactory(scheme=Scheme.SHIFT, code=code, label_en=label, position=position)
    for position, (code, label) in enumerate(
        [
            ("women", "Women"),
            ("youth", "Youth"),
            ("persons-with-disabilities", "Persons with disabilities"),
        ]
    ):
        terms[code] = TermFactory(
            scheme=Scheme.SPOTLIGHT_POPULATION, code=code, label_en=label, position=position
        )
    return terms


@pytest.fixture
def presence_data(vocabulary):
    """A complete, valid input for presence_create."""
    return {
        "slug": "belarus",
        "country": "BLR",
        "title": "UN Human Rights in Belarus",
        "role_summary": "The Senior Human Rights Adviser works with the UN Country Team.",
        "engagement_type": "human-rights-adviser",
        "region": "europe-central-asia",
        "deployment_start_year": 2018,
        "deployment_end_year": 2021,
        "field_offices": "",
        "staff_count": None,
        "budget_amount": 823000,
        "budget_currency": "USD",
        "areas_of_focus": "<p>Legal aid.</p><p>Alternatives to detention.</p>",
        "partners": "UN agencies, civil society.",
        "donors": "UNDG Human Rights Mainstreaming Fund.",
        "thematic_pillars": ["mechanisms", "accountability"],
        "shifts": ["inequalities"],
        "spotlight_populations": ["persons-with-disabilities"],
        "last_reviewed": "2020-11",
        "contact_division": "Field Operations and Technical Cooperation Division (FOTCD)",
        "contact_section": "Europe and Central Asia Section",
        "contact_location": "Geneva, Switzerland",
        "contact_email": "ecasection@ohchr.org",
    }
