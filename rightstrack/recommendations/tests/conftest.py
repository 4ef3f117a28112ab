import pytest

from rightstrack.taxonomy.models import Scheme

from .factories import RecommendationFactory, term
from .import_helpers import small_vocabulary


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    """Trained taggers and the similarity and semantic indexes of each test live in its own
    var/ directory: none unless the test makes them, whatever the developer's var/ holds. (The
    intelligence app caches loaded indexes by path, so a new directory needs no cache reset.)"""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def thirty_on_torture(db):
    """30 recommendations on torture by France, tagged with the theme: a full list to count the
    queries of (more than a page of 25)."""
    theme = term(Scheme.UHRI_THEME, "torture", "Torture")
    france = term(Scheme.STATE, "FRA", "France")
    return [
        RecommendationFactory(text=f"Torture {number}.", tags=[theme], recommending_states=[france])
        for number in range(30)
    ]


@pytest.fixture
def terms(db):
    """The small vocabulary the import tests' files name (import_helpers.small_vocabulary)."""
    return small_vocabulary()
