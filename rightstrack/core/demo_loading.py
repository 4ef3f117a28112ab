"""Loading demonstration records again and again through the services, saying what changed."""

from collections.abc import Callable
from typing import Literal, Protocol, TypeVar

Outcome = Literal["created", "updated", "unchanged"]


class _Stamped(Protocol):
    updated_at: object


_Record = TypeVar("_Record", bound=_Stamped)


def create_or_update(
    existing: _Record | None,
    *,
    create: Callable[[], _Record],
    update: Callable[[_Record], _Record],
) -> tuple[_Record, Outcome]:
    """Create the record when there is none, else update it; an update that saved nothing new
    (its ``updated_at`` did not move: the services save only changes) is "unchanged"."""
    if existing is None:
        return create(), "created"
    stamp = existing.updated_at
    record = update(existing)
    return record, "unchanged" if record.updated_at == stamp else "updated"
