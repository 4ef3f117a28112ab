"""Session rules applied on every request: sessions time out, and staff who must sign in with
two factors and have not set their app up yet can do nothing else until they have."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rightstrack.core.roles import MANAGERS, role_of

from .session_keys import LAST_SEEN_AT, SIGNED_IN_AT
from .two_factor_views import SETUP_REQUIRED

# The last-seen time is written at most this often, so that not every request saves the session.
LAST_SEEN_RESOLUTION_SECONDS = 30


def idle_timeout_seconds(user) -> int:
    if role_of(user) in MANAGERS:
        return settings.STAFF_SESSION_IDLE_TIMEOUT_SECONDS
    return settings.SESSION_IDLE_TIMEOUT_SECONDS


def session_expired(session, user, now: float) -> bool:
    """True once the session has been idle too long or has lasted too long since the sign-in."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if signed_in_at is None:
        return False
    return (
        now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
        or now - last_seen_at > idle_timeout_seconds(user)
    )


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On every sign-in (user_logged_in): the absolute and idle clocks start again."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT_SECONDS without a request (staff:
    STAFF_SESSION_IDLE_TIMEOUT_SECONDS) or SESSION_ABSOLUTE_TIMEOUT_SECONDS after signing in.

    A session that predates this rule (no sign-in time) starts its clock now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            if session_expired(session, request.user, now):
                logout(request)
                messages.info(request, _("Your session expired; please sign in again."))
                if request.method == "GET" and not request.path.startswith("/api/"):
                    login = reverse("accounts:login")
                    return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            else:
                session.setdefault(SIGNED_IN_AT, now)
                if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_RESOLUTION_SECONDS:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)


class TwoFactorSetupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SETUP_REQUIRED) and request.user.is_authenticated:
            setup = reverse("accounts:two_factor")
            allowed = (setup, reverse("accounts:logout"), settings.STATIC_URL, "/i18n/", "/jsi18n/")
            if not request.path.startswith(allowed):
                return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
