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


def _oldest_counted_failure(
    failures: QuerySet[LoginFailure], limit: int, since: datetime
) -> datetime | None:
    times = list(
        failures.filter(at__gte=since).order_by("-at").values_list("at", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    # The lock lifts when the oldest of the last `limit` failures leaves the window.
    return times[-1]


def login_lock_remaining_seconds(*, username: str, ip_address: str | None) -> int:
    """Seconds until sign-in is allowed again for this account name from this address; 0 if
    allowed.

    Locked when this account name has LOGIN_FAILURE_LIMIT failures from this address, or this
    address has LOGIN_ADDRESS_FAILURE_LIMIT failures over all names, within the last
    LOGIN_FAILURE_WINDOW_SECONDS. Failures from another address never lock the account: an
    attacker cannot lock its owner out, only themselves.
    """
    ip_address = normalized_ip(ip_address)
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    now = timezone.now()
    since = now - window
    from_address = LoginFailure.objects.filter(ip_address=ip_address)
    this_account = from_address.filter(username=login_name_key(username))
    oldest = [
        _oldest_counted_failure(this_account, max(1, settings.LOGIN_FAILURE_LIMIT), since),
        _oldest_counted_failure(from_address, max(1, settings.LOGIN_ADDRESS_FAILURE_LIMIT), since),
    ]
    ends = [at + window for at in oldest if at is not None]
    if not ends:
        return 0
    return max(1, math.ceil((max(ends) - now).total_seconds()))


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this account name from this address, or from this address
    over all names."""
    return login_lock_remaining_seconds(username=username, ip_address=ip_address) > 0
