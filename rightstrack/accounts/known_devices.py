"""Known devices: a browser where an account signed in successfully before.

A signed cookie remembers the account name and a random device id. Sign-in attempts that carry
it are counted against that device alone, not against the address they come from, so an attacker
who fails on the owner's name from the same address (an office behind one public address, or
anywhere) cannot keep the owner out of their own device.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from .throttling import login_name_key

COOKIE_NAME = "rightstrack_device"
_SALT = "rightstrack.accounts.known-device"


def known_device(request: HttpRequest, username: str) -> str:
    """The id of this browser's known device for ``username``; "" when it has none (or the
    cookie is forged, expired or belongs to another account name)."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return ""
    try:
        remembered = signing.loads(
            value, salt=_SALT, max_age=settings.KNOWN_DEVICE_COOKIE_AGE_SECONDS
        )
    except signing.BadSignature:
        return ""
    if not isinstance(remembered, dict) or remembered.get("name") != login_name_key(username):
        return ""
    device = remembered.get("device")
    return device if isinstance(device, str) and len(device) == 32 else ""


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a complete sign-in: remember this browser as a known device of ``username``."""
    device = known_device(request, username) or secrets.token_hex(16)
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps({"name": login_name_key(username), "device": device}, salt=_SALT),
        max_age=settings.KNOWN_DEVICE_COOKIE_AGE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
