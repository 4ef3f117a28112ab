"""Time-based one-time passwords (RFC 6238, as authenticator apps compute them): HMAC-SHA1,
30-second steps, 6 digits."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# One step either side absorbs a phone clock that is a little off.
ALLOWED_DRIFT_STEPS = 1


def new_secret():
    """A random 160-bit key in base32, the form authenticator apps accept."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _code_at(secret, step):
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(now=None):
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret, now=None):
    return _code_at(secret, current_step(now))


def matching_step(secret, code, *, now=None, after_step=None):
    """The time step whose code is ``code``, or None. A step at or before ``after_step`` never
    matches, so a code that was used once cannot be used again."""
    code = "".join((code or "").split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - ALLOWED_DRIFT_STEPS, step + ALLOWED_DRIFT_STEPS + 1):
        if after_step is not None and candidate <= after_step:
            continue
        if hmac.compare_digest(_code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret, *, account, issuer):
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret):
    """The key in groups of four, easier to type by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
