"""Reads of what waits for a user (the work counts of the home page, the menu and the digest)
and, per user, their notifications and settings."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rightstrack.core.roles import MANAGERS, Role
from rightstrack.core.types import AnyUser, User

from .extensions import work
from .models import Notification, NotificationSettings

# The work counts of every staff page's menu and of the home page stop counting here: past it
# they show "999+" (the list itself gives the exact number). Counting every waiting item on
# every page read a quarter of a million suggestions each time (115 ms of every staff page).
WORK_COUNTED_UP_TO = 999


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    url: str
    count: int
    # More wait than ``count`` (counting stopped at WORK_COUNTED_UP_TO).
    more: bool = False


def _count_all(querysets: list[tuple[QuerySet[Any], int | None]]) -> list[int]:
    """How many rows each (queryset, up_to) has, in one query (a sub-select per queryset);
    with an ``up_to``, counted only as far as ``up_to + 1`` (a larger number says "more")."""
    if not querysets:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for number, (queryset, up_to) in enumerate(querysets):
        limit = "" if up_to is None else f" LIMIT {int(up_to) + 1}"
        queryset = queryset.order_by()
        if not queryset.query.distinct:
            queryset = queryset.values("pk")
        sql, query_params = queryset.query.sql_with_params()
        # Django's own SQL for the queryset, its values passed apart as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}{limit}) counted_{number})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(value) for value in row]


@dataclass(frozen=True)
class Waiting:
    """What waits for a user: each kind of work with its count, and unread notifications."""

    work: list[WorkItem]
    unread: int


def waiting_for(*, user: AnyUser, today: datetime.date) -> Waiting:
    """Each kind of work the user does, with how many items wait, and how many of their
    notifications are unread. The counts a kind gives as a queryset are all made in one query
    with the unread count; the work is counted up to WORK_COUNTED_UP_TO ("999+" past it). None
    for anonymous visitors."""
    if not user.is_authenticated:
        return Waiting(work=[], unread=0)
    kinds = work.for_user(user)
    answers = [kind.count(user, today) for kind in kinds]
    querysets = [answer for answer in answers if isinstance(answer, QuerySet)]
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    counted = iter(
        _count_all([*((queryset, WORK_COUNTED_UP_TO) for queryset in querysets), (unread, None)])
    )
    counts = [next(counted) if isinstance(answer, QuerySet) else answer for answer in answers]
    items = [
        WorkItem(
            key=kind.key,
            label=str(kind.label),
            url=kind.url(user),
            count=min(count, WORK_COUNTED_UP_TO),
            more=count > WORK_COUNTED_UP_TO,
        )
        for kind, count in zip(kinds, counts, strict=True)
    ]
    return Waiting(work=items, unread=next(counted))


def work_for(*, user: AnyUser, today: datetime.date) -> list[WorkItem]:
    """Each kind of work the user does, with how many items wait; [] for anonymous visitors."""
    return waiting_for(user=user, today=today).work


def waiting_for_request(request: HttpRequest) -> Waiting:
    """``waiting_for`` the request's user, counted once per request (the page and its menu)."""
    cached: Waiting | None = getattr(request, "_rightstrack_waiting", None)
    if cached is None:
        cached = waiting_for(user=request.user, today=timezone.localdate())
        request._rightstrack_waiting = cached  # type: ignore[attr-defined]
    return cached


def work_for_request(request: HttpRequest) -> list[WorkItem]:
    return waiting_for_request(request).work


def notification_list(*, user: AnyUser) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(*, user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def settings_for(*, user: User) -> NotificationSettings:
    """The user's notification settings; the defaults (unsaved) when they never changed them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def managers() -> "QuerySet[User]":
    """The active coordinators and administrators: who reviews and moderates."""
    from rightstrack.accounts.models import User

    return User.objects.filter(is_active=True, role__in=MANAGERS)


def focal_points_of(*, agency_id: int | None) -> "QuerySet[User]":
    """The active focal points of an agency (none without one)."""
    from rightstrack.accounts.models import User

    if not agency_id:
        return User.objects.none()
    return User.objects.filter(is_active=True, role=Role.FOCAL_POINT, agency_id=agency_id)
