"""Staff who must sign in with two factors and have not set their app up yet can do nothing
else until they have."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor_views import SETUP_REQUIRED


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
