"""The authentication backend for API tokens: ``authenticate(request, api_token=...)``.

The API's auth classes (rightstrack.core.api_auth) ask Django, not this app, so that every app
can use them; this backend is the one that knows the tokens.
"""

from django.contrib.auth.backends import BaseBackend
from django.utils import timezone

from .models import ApiToken, User

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION_SECONDS = 300


class ApiTokenBackend(BaseBackend):
    def authenticate(self, request, api_token: str | None = None) -> User | None:
        if not api_token:
            return None
        token = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(digest=ApiToken.digest_of(api_token), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        last_used = token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
