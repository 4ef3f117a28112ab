"""Reads of users, API tokens and the sign-in lock, scoped to who asks."""

import math
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.core.roles import Role, is_administrator
from rightstrack.core.types import AnyUser

from .models import ApiToken, LoginFailure, User
from .throttling import login_name_key, normalized_ip

USER_SORTS = [
    SortOption("username", _("User name (A–Z)"), ("username",)),
    SortOption("-username", _("User name (Z–A)"), ("-username",)),
    SortOption("role", _("Role"), ("role", "username")),
    SortOption("newest", _("Newest first"), ("-date_joined", "-id")),
    SortOption("last_login", _("Last sign-in"), (F("last_login").desc(nulls_last=True), "id")),
]
DEFAULT_USER_SORT = "username"


class UserFilters(TypedDict, total=False):
    """The filters of the user list; empty values filter nothing."""

    role: str  # a Role value
    agency: str  # an agency code
    q: str  # part of a user name, e-mail address or name
    active: str  # "yes" or "no"
    sort: str | None  # a key of USER_SORTS


def filter_users(users: QuerySet[User], filters: UserFilters | None) -> QuerySet[User]:
    """Apply the user-list filters (see UserFilters). Not scoped: callers scope."""
    filters = filters or {}
    if filters.get("role") in Role.values:
        users = users.filter(role=filters["role"])
    if filters.get("agency"):
        users = users.filter(agency__code=filters["agency"])
    if filters.get("q"):
        text = str(filters["q"]).strip()
        users = users.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    if filters.get("active") == "yes":
        users = users.filter(is_active=True)
    elif filters.get("active") == "no":
        users = users.filter(is_active=False)
    sort = resolve_sort(filters.get("sort"), USER_SORTS, DEFAULT_USER_SORT)
    return users.order_by(*sort.order_by)


def user_list(*, user: AnyUser, filters: UserFilters | None) -> QuerySet[User]:
    """All users, filtered and sorted, for administrators; nobody else sees the list."""
    if not is_administrator(user):
        return User.objects.none()
    return filter_users(User.objects.select_related("agency"), filters)


def user_for_edit(*, user: AnyUser, pk: int | str) -> User | None:
    """The user an administrator opens for editing, or None."""
    if not is_administrator(user):
        return None
    return User.objects.select_related("agency").filter(pk=pk).first()


def api_tokens_of(*, user: AnyUser | None) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (only digests and prefixes are stored)."""
    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def revocable_api_tokens(*, user: AnyUser) -> QuerySet[ApiToken]:
    """Tokens the user may revoke: their own, or everybody's for an administrator."""
    if is_administrator(user):
        return ApiToken.objects.select_related("user")
    return api_tokens_of(user=user).select_related("user")


def _wait_ends(failures: QuerySet[LoginFailure], limit: int, since: datetime) -> datetime | None:
    """When the next try is allowed after these failures; None when it is allowed now.

    Below ``limit`` failures in the window, at once. From the limit on, the wait after the
    latest failure doubles with each failure: LOGIN_FAILURE_DELAY_SECONDS, twice that, … and
    never longer than the window.
    """
    times = list(failures.filter(at__gte=since).order_by("-at").values_list("at", flat=True)[:64])
    if len(times) < limit:
        return None
    doublings = min(len(times) - limit, 30)
    delay = min(
        settings.LOGIN_FAILURE_DELAY_SECONDS * 2**doublings, settings.LOGIN_FAILURE_WINDOW_SECONDS
    )
    return times[0] + timedelta(seconds=delay)


def login_lock_remaining_seconds(*, username: str, ip_address: str | None, device: str = "") -> int:
    """Seconds until the next sign-in try is allowed for this account name; 0 if allowed now.

    From a known device of the account (``device``, see known_devices.py) only that device's
    own failures count. Otherwise the failures of this account name from this address count
    (LOGIN_FAILURE_LIMIT), and those of this address over all names
    (LOGIN_ADDRESS_FAILURE_LIMIT), within the last LOGIN_FAILURE_WINDOW_SECONDS; past a limit
    the waits grow (``_wait_ends``). Failures from another address or device never slow this
    one: an attacker cannot lock the owner out, only slow themselves.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    name = login_name_key(username)
    account_limit = max(1, settings.LOGIN_FAILURE_LIMIT)
    if device:
        counted = [(LoginFailure.objects.filter(username=name, device=device), account_limit)]
    else:
        from_address = LoginFailure.objects.filter(ip_address=normalized_ip(ip_address), device="")
        counted = [
            (from_address.filter(username=name), account_limit),
            (from_address, max(1, settings.LOGIN_ADDRESS_FAILURE_LIMIT)),
        ]
    ends = [
        end
        for failures, limit in counted
        if (end := _wait_ends(failures, limit, since)) is not None and end > now
    ]
    if not ends:
        return 0
    return max(1, math.ceil((max(ends) - now).total_seconds()))


def login_is_locked(*, username: str, ip_address: str | None, device: str = "") -> bool:
    """Whether a sign-in try for this account name must wait (login_lock_remaining_seconds)."""
    return login_lock_remaining_seconds(username=username, ip_address=ip_address, device=device) > 0
