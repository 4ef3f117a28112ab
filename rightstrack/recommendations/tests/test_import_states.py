"""State names as documents write them, matched against the shipped vocabulary of States."""

import pytest

from rightstrack.recommendations.imports.terms import ImportTerms
from rightstrack.recommendations.imports.wordings import split_wordings
from rightstrack.taxonomy.models import Term
from rightstrack.taxonomy.services import vocabularies_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(tmp_path, settings):
    # The built-in vocabularies only (the States among them), without the shared data.
    settings.SHARED_DATA_DIR = tmp_path / "absent"
    vocabularies_load()
    return ImportTerms()


def code_of(terms, name):
    match = terms.find_state(name)
    return Term.objects.get(pk=match.term_id).code if match else None


OFFICIAL_SHORT_AND_OLD = (
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Plurinational State of Bolivia", "BOL"),
    ("the Plurinational State of Bolivia", "BOL"),
    ("Bolivia", "BOL"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("the United Kingdom", "GBR"),
    ("Republic of Korea", "KOR"),
    ("Korea, Republic of", "KOR"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d’Ivoire", "CIV"),
    ("CÔTE D'IVOIRE", "CIV"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Turkiye", "TUR"),
    ("the Netherlands", "NLD"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Republic of Slovenia", "SVN"),
    ("Democratic Republic of the Congo", "COD"),
    ("Congo", "COG"),
    ("Libyan Arab Jamahiriya", "LBY"),
    ("Slovenia*", "SVN"),
    ("Atlantis", None),
)
BROKEN = (
    ("Slove nia", "SVN"),
    ("Switzer-\nland", "CHE"),
    ("Switzer- land", "CHE"),
    ("United Kingdom of Great\nBritain and Northern Ireland", "GBR"),
    ("Russian Feder ation", "RUS"),
    ("Democratic Republic of the Con go", "COD"),
)


def test_it_finds_states_by_official_short_and_old_names(terms):
    found = {name: code_of(terms, name) for name, _code in OFFICIAL_SHORT_AND_OLD}

    assert found == dict(OFFICIAL_SHORT_AND_OLD)
    assert all(
        terms.find_state(name).warning == "" for name, code in OFFICIAL_SHORT_AND_OLD if code
    )


def test_it_mends_state_names_broken_by_spaces_line_breaks_and_hyphens_with_a_warning(terms):
    found = {name: code_of(terms, name) for name, _code in BROKEN}

    assert found == dict(BROKEN)
    # A line break alone is only whitespace; anything that had to be glued is a warning.
    warnings = {name: terms.find_state(name).warning for name, _code in BROKEN}
    assert warnings["United Kingdom of Great\nBritain and Northern Ireland"] == ""
    assert warnings["Slove nia"] == "State name “Slove nia” read as “Slovenia”"
    assert warnings["Switzer-\nland"] == "State name “Switzer- land” read as “Switzerland”"
    assert all(warnings[name] for name in ("Switzer- land", "Russian Feder ation"))


def test_it_tells_states_from_other_words_in_parentheses(terms):
    def is_state(name):
        return terms.find_state(name) is not None

    text = (
        "Adopt the draft law (Law on Gender Equality) without delay (Slove nia, Atlantis); "
        "ratify the Convention (Convention on Migrant Workers) (Brazil)."
    )

    wordings = split_wordings(text, is_state=is_state)

    assert wordings == [
        {
            "text": "Adopt the draft law (Law on Gender Equality) without delay",
            "states": ["Slove nia", "Atlantis"],
        },
        {"text": "ratify the Convention (Convention on Migrant Workers)", "states": ["Brazil"]},
    ]
