"""The bounded inputs and the pagination of the API, without the API."""

import pytest
from pydantic import TypeAdapter, ValidationError

from rightstrack.core.api.inputs import MAX_ID, MAX_OFFSET, IdList
from rightstrack.core.api.pagination import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    LimitOffsetInput,
    PageInput,
    Window,
)


def test_it_accepts_ids_a_big_integer_column_holds_and_refuses_others():
    ids = TypeAdapter(IdList)
    assert ids.validate_python([1, MAX_ID]) == [1, MAX_ID]
    for wrong in ([0], [MAX_ID + 1], [99999999999999999999]):
        with pytest.raises(ValidationError, match="Input should be"):
            ids.validate_python(wrong)


def test_it_bounds_pages_so_the_deepest_offset_stays_within_max_offset():
    assert (MAX_PAGE - 1) * MAX_PAGE_SIZE <= MAX_OFFSET
    assert PageInput(page=MAX_PAGE).page == MAX_PAGE
    for wrong in ({"page": MAX_PAGE + 1}, {"page": 0}, {"page_size": MAX_OFFSET + 1}):
        with pytest.raises(ValidationError):
            PageInput(**wrong)


def test_it_clamps_the_limit_to_the_lists_maximum_and_keeps_the_offset():
    window = Window.of(LimitOffsetInput(limit=10_000, offset=3), max_limit=200)
    assert (window.limit, window.offset) == (200, 3)
    assert window.rows(list(range(500)))[:2] == [3, 4]
    assert window.as_dict(7) == {"count": 7, "limit": 200, "offset": 3}
    for wrong in ({"offset": MAX_OFFSET + 1}, {"offset": -1}, {"limit": 0}):
        with pytest.raises(ValidationError):
            LimitOffsetInput(**wrong)
