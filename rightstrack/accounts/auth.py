"""API authentication: bearer tokens, the session, or (for reads) nobody.

Endpoints never decide visibility from the auth result: they pass ``request.user`` to selectors,
which scope every query to that user.

- ``read_auth``: reads of published data; anonymous allowed (``request.user`` is then
  AnonymousUser), a bad token is refused with 401.
- ``internal_auth``: reads that need a signed-in user (a token or the session); anonymous → 401.
  The endpoint still checks the role (``PermissionDenied`` → 403).
- ``write_auth``: writes; a token, or the session with a CSRF token.
"""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION_SECONDS = 300


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(digest=ApiToken.digest_of(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        last_used = api_token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class SessionAuthUnlessTokenSent(SessionAuth):
    """The signed-in session, unless the request sends an Authorization header.

    A request that presents a token is judged by that token alone: a bad token gets 401 even
    from a browser that also has a session.
    """

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)


def anonymous_or_session(request):
    """Allow a read without a token; a request that sends a bad token is refused instead."""
    if request.headers.get("Authorization"):
        return None
    return request.user if request.user.is_authenticated else True


session_auth = SessionAuthUnlessTokenSent()

# Reads: a valid token, a signed-in session, or anonymous (published data only).
read_auth = [ApiTokenAuth(), anonymous_or_session]
# Internal reads: a valid token or a signed-in session; anonymous gets 401.
internal_auth = [ApiTokenAuth(), session_auth]
# Writes: a valid token, or a signed-in session with a CSRF token.
write_auth = [ApiTokenAuth(), session_auth]
