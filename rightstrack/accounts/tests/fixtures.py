"""Pytest fixtures for permission tests in every app (loaded from the root conftest.py).

users                 {"anonymous": None, "administrator": User, "coordinator": User,
                       "focal_point": User, "civil_society": User, "viewer": User,
                       "outsider": User}
                      The focal point belongs to ``users["focal_point"].agency``; the
                      outsider is a focal point of ANOTHER agency.
client_for(role)      a django.test.Client signed in as users[role] (anonymous: not signed in)
api_token_for(role)   a raw API token of users[role] (None for "anonymous")
api_client_for(role)  a Client sending ``Authorization: Bearer <token>`` (anonymous: none)
any_role              each of ALL_ROLES in turn (a parametrized fixture)
user_factory          UserFactory, agency_factory AgencyFactory: for the tests of the apps
                      below accounts (audit, taxonomy), which may not import it

@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_…(client_for, role): ...
"""

import pytest
from django.test import Client

from rightstrack.accounts.services import api_token_create
from rightstrack.core.roles import Role

from .factories import AgencyFactory, UserFactory

ALL_ROLES = (
    "anonymous",
    "administrator",
    "coordinator",
    "focal_point",
    "civil_society",
    "viewer",
    "outsider",
)
SIGNED_IN_ROLES = ALL_ROLES[1:]


@pytest.fixture(params=ALL_ROLES)
def any_role(request):
    return request.param


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def agency_factory(db):
    return AgencyFactory


@pytest.fixture
def users(db):
    agency = AgencyFactory(code="own-agency", name_en="Own agency")
    other_agency = AgencyFactory(code="other-agency", name_en="Other agency")
    return {
        "anonymous": None,
        "administrator": UserFactory(username="administrator", role=Role.ADMINISTRATOR),
        "coordinator": UserFactory(username="coordinator", role=Role.COORDINATOR),
        "focal_point": UserFactory(username="focal_point", role=Role.FOCAL_POINT, agency=agency),
        "civil_society": UserFactory(username="civil_society", role=Role.CIVIL_SOCIETY),
        "viewer": UserFactory(username="viewer", role=Role.VIEWER),
        "outsider": UserFactory(username="outsider", role=Role.FOCAL_POINT, agency=other_agency),
    }


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def api_token_for(users):
    def make(role):
        if users[role] is None:
            return None
        _token, raw = api_token_create(user=users[role], name=f"test {role}")
        return raw

    return make


@pytest.fixture
def api_client_for(api_token_for):
    def make(role):
        raw = api_token_for(role)
        return Client(headers={"Authorization": f"Bearer {raw}"} if raw else {})

    return make
