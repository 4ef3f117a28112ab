"""API authentication: bearer tokens, the session, or (for reads) nobody.

Endpoints never decide visibility from the auth result: they pass ``request.user`` to selectors,
which scope every query to that user.

- ``read_auth``: reads of published data; anonymous allowed (``request.user`` is then
  AnonymousUser), a bad token is refused with 401.
- ``internal_auth``: reads that need a signed-in user (a token or the session); anonymous → 401.
  The endpoint still checks the role (``PermissionDenied`` → 403).
- ``write_auth``: writes; a token, or the session with a CSRF token.

A bearer token is checked by Django's ``authenticate(request, api_token=...)``: the accounts app,
which stores the tokens, provides the authentication backend that answers it
(``rightstrack.accounts.backends.ApiTokenBackend``), so every app can name these auth classes
without depending on accounts.
"""

from django.contrib.auth import authenticate
from ninja.security import HttpBearer, SessionAuth


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        user = authenticate(request, api_token=token)
        if user is None:
            return None
        request.user = user
        return user


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
