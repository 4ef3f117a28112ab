"""A matrix generated from the URL patterns and the roles: every page, asked by every role, answers
without a server error, internal pages turn the anonymous away, and every POST needs the CSRF
token. Path parameters get a value that names no record (404 is an answer too)."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from rightstrack.accounts.tests.fixtures import ALL_ROLES

# Django's admin and the API are checked by their own tests (the admin's; schemathesis).
NOT_HERE = ("admin/", "api/")
PARAMETER = re.compile(r"<(?:(\w+):)?\w+>")
PARAMETER_VALUES = {"int": "999999", "slug": "no-such-thing", "str": "csv", None: "x"}
# Pages only signed-in users may see: the anonymous are sent to sign in (or refused).
INTERNAL_PREFIXES = (
    "accounts/me/",
    "accounts/users/",
    "audit/",
    "jobs/",
    "progress/review/",
    "progress/assessments/moderation/",
    "intelligence/review/",
)


def routes_of(patterns, prefix=""):
    """Every route of the URL patterns, includes followed (also the publication matrix's)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_of(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _path(route):
    return "/" + PARAMETER.sub(lambda match: PARAMETER_VALUES[match[1]], route)


ROUTES = sorted(
    route for route in routes_of(get_resolver().url_patterns) if not route.startswith(NOT_HERE)
)


def test_it_finds_the_routes_of_every_app():
    assert len(ROUTES) > 80
    assert any(route.startswith("progress/") for route in ROUTES)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_answers_every_page_for_every_role_without_a_server_error(client_for, role):
    client = client_for(role)
    failures = []
    for route in ROUTES:
        response = client.get(_path(route))
        if response.status_code >= 500:
            failures.append((route, response.status_code))
        internal = route.startswith(INTERNAL_PREFIXES)
        if role == "anonymous" and internal and response.status_code == 200:
            failures.append((route, "shown to the anonymous"))
    assert failures == []


def test_it_needs_the_csrf_token_for_every_post(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["administrator"])
    accepted = []
    for route in ROUTES:
        response = client.post(_path(route), {"name": "x"})
        if response.status_code not in (403, 405):
            accepted.append((route, response.status_code))
    assert accepted == []
