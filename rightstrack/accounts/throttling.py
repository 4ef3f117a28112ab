"""The keys failed sign-ins are counted under: the account name tried and the client address."""

import ipaddress
import unicodedata

from django.conf import settings


def normalized_ip(value):
    """The address in canonical form, or None when value is not an IP address."""
    try:
        return str(ipaddress.ip_address(str(value).strip())) if value else None
    except ValueError:
        return None


def client_ip(request):
    """REMOTE_ADDR; behind a trusted reverse proxy (BEHIND_PROXY=1 sets
    SECURE_PROXY_SSL_HEADER), the address that proxy appended to X-Forwarded-For.

    Only the last X-Forwarded-For entry is taken: the client can forge all earlier ones, and
    trusting them would let an attacker pick a fresh address for every try.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1] if forwarded else ""
        address = normalized_ip(last)
        if address:
            return address
    return normalized_ip(request.META.get("REMOTE_ADDR"))


def login_name_key(username):
    """The account name as the sign-in form reads it (stripped, NFKC), case-folded so that
    variants of one name share one count."""
    name = unicodedata.normalize("NFKC", str(username or "").strip()).casefold()
    return name[:150]
