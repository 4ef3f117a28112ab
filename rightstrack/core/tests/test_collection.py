"""core.collection: the collector's pacing during bulk work, restored afterwards."""

import gc

import pytest

from rightstrack.core.collection import fewer_collections


@pytest.fixture
def default_pacing():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_it_raises_the_first_threshold_and_restores_the_pacing(default_pacing) -> None:
    with fewer_collections(50_000):
        assert gc.get_threshold() == (50_000, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_it_restores_the_pacing_after_an_error(default_pacing) -> None:
    with pytest.raises(ValueError), fewer_collections(50_000):
        raise ValueError
    assert gc.get_threshold() == (700, 10, 10)


def test_it_restores_the_pacing_of_before_the_first_block_when_the_last_ends(
    default_pacing,
) -> None:
    with fewer_collections(50_000):
        with fewer_collections(80_000):
            assert gc.get_threshold()[0] == 80_000
        assert gc.get_threshold()[0] == 80_000  # another block still runs
    assert gc.get_threshold() == (700, 10, 10)
