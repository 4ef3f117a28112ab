"""Bounded integers for API inputs, checked before any query is built.

A number the database cannot hold (``?page=10**18``, ``{"add": [10**20]}``) is the caller's
mistake: it answers 422 with pydantic's message, never an OverflowError (500).
"""

from typing import Annotated

from ninja import Field

# Every primary key is a BigAutoField (settings.DEFAULT_AUTO_FIELD): a signed 64-bit integer.
MAX_ID = 2**63 - 1
# The deepest row any list may be asked for; far beyond the size of any list, and small enough
# that OFFSET and LIMIT fit every database's integer.
MAX_OFFSET = 10**9
# The largest number of rows a caller may ask for; more is clamped to the list's own maximum.
MAX_REQUESTED_SIZE = MAX_OFFSET

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdList = list[Id]
