"""Re-authentication before security-sensitive changes: creating users, changing a user's role or
password, resetting someone's two-factor sign-in, setting up one's own, and everything in the
Django admin.

A session that signed in (or confirmed its password) less than REAUTHENTICATION_MAX_AGE_SECONDS
ago may make them; an older one is sent to confirm the password first (and the two-factor code
when the account has an authenticator app), counted against the sign-in throttling like a
sign-in, so a session left open on a shared computer cannot be used to take the account over.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rightstrack.core.web import safe_url

from .session_keys import REAUTHENTICATED_AT, SIGNED_IN_AT


def recently_authenticated(request: HttpRequest) -> bool:
    session = request.session
    last = max(session.get(SIGNED_IN_AT) or 0, session.get(REAUTHENTICATED_AT) or 0)
    return time.time() - last <= settings.REAUTHENTICATION_MAX_AGE_SECONDS


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTHENTICATED_AT] = time.time()


def confirmation_redirect(request: HttpRequest) -> HttpResponse:
    """Send the user to confirm their password, then back to this page (a form's POST cannot
    be replayed: they come back to the page and send it again)."""
    if request.method != "GET":
        messages.info(request, _("Confirm your password, then make the change again."))
        back = safe_url(request, request.META.get("HTTP_REFERER", ""), default=request.path)
    else:
        back = request.get_full_path()
    return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")


def recent_authentication_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The view runs only for a session that signed in or confirmed its password recently.

    Put it under the view's sign-in or role check, so the anonymous are sent to sign in."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            return confirmation_redirect(request)
        return view(request, *args, **kwargs)

    return checked


class AdminReauthenticationMiddleware:
    """The Django admin changes anything: its pages need a recent sign-in or confirmation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin = reverse("admin:index")
        exempt = (reverse("admin:login"), reverse("admin:logout"))
        if (
            request.path.startswith(admin)
            and not request.path.startswith(exempt)
            and request.user.is_authenticated
            and not recently_authenticated(request)
        ):
            return confirmation_redirect(request)
        return self.get_response(request)
