from types import SimpleNamespace

from rightstrack.core.demo_loading import create_or_update


def test_it_creates_when_there_is_nothing_yet():
    made = SimpleNamespace(updated_at=1)
    record, outcome = create_or_update(None, create=lambda: made, update=lambda r: r)
    assert (record, outcome) == (made, "created")


def test_it_says_updated_when_the_stamp_moved():
    existing = SimpleNamespace(updated_at=1)
    changed = SimpleNamespace(updated_at=2)
    record, outcome = create_or_update(existing, create=lambda: None, update=lambda r: changed)
    assert (record, outcome) == (changed, "updated")


def test_it_says_unchanged_when_nothing_was_saved():
    existing = SimpleNamespace(updated_at=1)
    record, outcome = create_or_update(existing, create=lambda: None, update=lambda r: r)
    assert (record, outcome) == (existing, "unchanged")
