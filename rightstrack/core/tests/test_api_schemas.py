"""partial_schema: the PATCH input of a create schema."""

import pytest
from ninja import Field, Schema
from pydantic import ValidationError

from rightstrack.core.api.inputs import Id, IdList
from rightstrack.core.api.schemas import partial_schema


class ThingCreateIn(Schema):
    name: str = Field(description="What it is called")
    owner: Id
    links: IdList = []
    parent: str


class ThingUpdateIn(partial_schema(ThingCreateIn, exclude={"parent"})):
    version: int


def test_it_makes_every_field_optional_and_keeps_only_what_was_sent():
    change = ThingUpdateIn(version=2, links=[3])

    assert change.model_dump(exclude_unset=True) == {"version": 2, "links": [3]}
    assert change.name is None
    assert "parent" not in ThingUpdateIn.model_fields
    assert ThingUpdateIn.model_fields["name"].description == "What it is called"


def test_it_keeps_the_bounds_of_the_values_sent():
    for wrong in ({"owner": 0}, {"links": [10**20]}, {}):
        with pytest.raises(ValidationError):
            ThingUpdateIn(**wrong)
