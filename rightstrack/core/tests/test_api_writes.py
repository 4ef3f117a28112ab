"""PublishableWrites: the fields to the create or update service, publication to its own."""

from types import SimpleNamespace

import pytest
from ninja import Schema

from rightstrack.core.api.writes import PublishableWrites


class ThingCreateIn(Schema):
    name: str
    slug: str | None = None
    is_published: bool = False


class ThingUpdateIn(Schema):
    name: str | None = None
    is_published: bool | None = None


@pytest.fixture
def calls():
    return []


@pytest.fixture
def writes(calls):
    def create(*, actor, data):
        calls.append(("create", data))
        return "new thing"

    def update(*, actor, thing, data):
        calls.append(("update", thing, data))
        return thing

    def set_published(*, actor, thing, published):
        calls.append(("publish", thing, published))
        return thing

    services = SimpleNamespace(
        thing_create=create, thing_update=update, thing_set_published=set_published
    )
    return PublishableWrites.of(services, "thing", derived_when_null=("slug",))


@pytest.mark.django_db
def test_it_creates_and_publishes_only_when_asked(writes, calls):
    writes.create("actor", ThingCreateIn(name="A"))
    writes.create("actor", ThingCreateIn(name="B", slug="b", is_published=True))

    assert calls == [
        ("create", {"name": "A"}),
        ("create", {"name": "B", "slug": "b"}),
        ("publish", "new thing", True),
    ]


@pytest.mark.django_db
def test_it_changes_only_what_was_sent(writes, calls):
    writes.update("actor", "old thing", ThingUpdateIn(is_published=False))
    writes.update("actor", "old thing", ThingUpdateIn(name="C"))

    assert calls == [("publish", "old thing", False), ("update", "old thing", {"name": "C"})]
