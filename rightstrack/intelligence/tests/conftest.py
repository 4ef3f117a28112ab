import pytest

from rightstrack.intelligence import indexes
from rightstrack.intelligence.tagging.classifiers import MultiLabelTagger, SingleLabelTagger
from rightstrack.intelligence.tagging.store import SavedTagger
from rightstrack.recommendations.tests.factories import term
from rightstrack.taxonomy.models import Scheme

from .synthetic import TOPICS, make_examples


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    """Models and indexes of each test live in its own var/ directory."""
    settings.VAR_DIR = tmp_path / "var"
    indexes.forget()
    yield settings.VAR_DIR
    indexes.forget()


@pytest.fixture(scope="session")
def trained_taggers():
    """{scheme name: SavedTagger} trained on the synthetic examples (once per test session)."""
    examples = make_examples(160)
    texts = [text for text, _issues, _action in examples]
    issues = MultiLabelTagger(cv_folds=3, use_embeddings=False).fit(
        texts, [labels for _text, labels, _action in examples]
    )
    actions = SingleLabelTagger(cv_folds=3, use_embeddings=False).fit(
        texts, [[action] for _text, _labels, action in examples]
    )
    return {
        "upr-info-issues": SavedTagger(scheme="upr-info-issues", tagger=issues),
        "action-category": SavedTagger(scheme="action-category", tagger=actions),
    }


@pytest.fixture
def vocabulary(db):
    """The terms the synthetic taggers' labels name."""
    issues = {
        name: term(Scheme.UPR_INFO_ISSUE, name.lower().replace(" ", "-")[:40], name)
        for name in TOPICS
    }
    actions = {code: term(Scheme.ACTION_CATEGORY, code, f"Category {code}") for code in "12345"}
    return {"issues": issues, "actions": actions}
