import pytest

from rightstrack.intelligence import indexes


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    """Trained taggers and the similarity and semantic indexes of each test live in its own
    var/ directory: none unless the test makes them, whatever the developer's var/ holds."""
    settings.VAR_DIR = tmp_path / "var"
    indexes.forget()
    yield settings.VAR_DIR
    indexes.forget()
