"""API authentication: bearer tokens, the session, or (for reads) nobody.

Endpoints never decide visibility from the auth result: they pass ``request.user`` to selectors,
which scope every query to that user.
"""

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(digest=ApiToken.digest_of(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


def anonymous_or_session(request):
    """Allow a read without a token; a request that sends a bad token is refused instead."""
    if request.headers.get("Authorization"):
        return None
    return request.user if request.user.is_authenticated else True


# Reads: a valid token, a signed-in session, or anonymous (published data only).
read_auth = [ApiTokenAuth(), anonymous_or_session]
# Writes: a valid token, or a signed-in session with a CSRF token.
write_auth = [ApiTokenAuth(), django_auth]
