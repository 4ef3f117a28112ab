import pytest


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    """Trained taggers and the similarity and semantic indexes of each test live in its own
    var/ directory: none unless the test makes them, whatever the developer's var/ holds. (The
    intelligence app caches loaded indexes by path, so a new directory needs no cache reset.)"""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR
