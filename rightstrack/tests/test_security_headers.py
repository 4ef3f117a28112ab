"""Security headers and cookie flags on every kind of response the site gives: public and
internal pages, HTMX fragments, forms, errors, downloads, the API and its documentation."""

import pytest
from django.test import Client

from rightstrack.core.tests.settings_process import settings_values

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# (who asks, path, extra headers): one of each kind of response.
PAGE_KINDS = [
    ("anonymous", "/", {}),
    ("anonymous", "/recommendations/", {}),
    ("anonymous", "/recommendations/", {"HTTP_HX_REQUEST": "true"}),
    ("anonymous", "/states/", {}),
    ("anonymous", "/open-data/", {}),
    ("anonymous", "/open-data/datapackage.json", {}),
    ("anonymous", "/accounts/login/", {}),
    ("anonymous", "/no-such-page/", {}),
    ("anonymous", "/api/v1/openapi.json", {}),
    ("anonymous", "/api/v1/recommendations/", {}),
    ("anonymous", "/api/v1/audit/", {}),
    ("viewer", "/accounts/me/", {}),
    ("viewer", "/accounts/me/two-factor/", {}),
    ("viewer", "/accounts/users/", {}),
    ("coordinator", "/plans/", {}),
    ("coordinator", "/recommendations/export.csv", {}),
    ("administrator", "/accounts/users/", {}),
    ("administrator", "/admin/", {}),
]


def policy_of(response, header="Content-Security-Policy"):
    directives = (part.strip() for part in response[header].split(";"))
    return dict(directive.split(" ", 1) for directive in directives if directive)


@pytest.mark.parametrize(("role", "path", "headers"), PAGE_KINDS)
def test_it_sends_the_security_headers_on_every_kind_of_response(client_for, role, path, headers):
    response = client_for(role).get(path, **headers)

    assert response.status_code < 500
    assert policy_of(response) == STRICT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_relaxes_only_the_styles_of_the_api_documentation(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert policy_of(response) == {**STRICT_POLICY, "style-src": "'self' 'unsafe-inline'"}
    assert b"<script>" not in response.content
    assert b"swagger-ui-init.js" in response.content
    assert b'"validatorUrl": null' in response.content


def test_it_loads_htmx_without_its_inline_indicator_style_or_eval(client, db):
    content = client.get("/recommendations/").content.decode()

    assert """content='{"includeIndicatorStyles": false, "allowEval": false}'""" in content
    assert "<script>" not in content and " style=" not in content
    assert "change[" not in content  # an hx-trigger event filter needs eval


def test_it_sets_the_cookies_http_only_and_same_site(client, users):
    users["viewer"].set_password("viewer-password-42")
    users["viewer"].save(update_fields=["password"])

    form = client.get("/accounts/login/")
    signed_in = client.post(
        "/accounts/login/", {"username": "viewer", "password": "viewer-password-42"}
    )

    csrf = form.cookies["csrftoken"]
    session = signed_in.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert not cookie["secure"]


def test_it_sets_the_cookies_secure_behind_https(settings, users):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.force_login(users["viewer"])

    form = client.get("/accounts/login/", secure=True)

    assert form.cookies["csrftoken"]["secure"] is True
    assert client.cookies["sessionid"]["secure"] is True


def test_it_turns_on_secure_cookies_redirects_and_hsts_with_https_1():
    values = settings_values(
        {"HTTPS": "1", "SECURE_HSTS_SECONDS": "31536000"},
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )

    assert values == ["True", "True", "True", "31536000"]
