"""Reads of what waits for a user (the work counts of the home page, the menu and the digest)
and, per user, their notifications and settings."""

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from rightstrack.core.types import AnyUser

from .extensions import work


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    url: str
    count: int


def work_for(*, user: AnyUser, today: datetime.date) -> list[WorkItem]:
    """Each kind of work the user does, with how many items wait; [] for anonymous visitors."""
    if not user.is_authenticated:
        return []
    return [
        WorkItem(
            key=kind.key, label=str(kind.label), url=kind.url(user), count=kind.count(user, today)
        )
        for kind in work.for_user(user)
    ]


def work_for_request(request: HttpRequest) -> list[WorkItem]:
    """``work_for`` the request's user, counted once per request (the page and its menu)."""
    cached: list[WorkItem] | None = getattr(request, "_rightstrack_work", None)
    if cached is None:
        cached = work_for(user=request.user, today=timezone.localdate())
        request._rightstrack_work = cached  # type: ignore[attr-defined]
    return cached
