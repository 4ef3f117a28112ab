"""Factories for users and agencies, for every app's tests.

UserFactory()                              # a viewer
UserFactory(role=Role.COORDINATOR)         # any role; administrators get is_staff/is_superuser
UserFactory(role=Role.FOCAL_POINT)         # gets a fresh agency from AgencyFactory
UserFactory(role=Role.FOCAL_POINT, agency=some_agency)
UserFactory(password="…")                  # a usable password (default: unusable)
AgencyFactory(code="moj", name_en="Ministry of Justice")   # from taxonomy.tests.factories
"""

import factory
from factory.django import DjangoModelFactory

from rightstrack.accounts.models import User
from rightstrack.core.roles import Role
from rightstrack.taxonomy.tests.factories import AgencyFactory

__all__ = ["STRONG_PASSWORD", "AgencyFactory", "UserFactory"]

# A password every validator accepts, for the tests that sign in or set one.
STRONG_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.VIEWER
    agency = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role == Role.FOCAL_POINT),
        yes_declaration=factory.SubFactory(AgencyFactory),
        no_declaration=None,
    )
    is_staff = factory.LazyAttribute(lambda user: user.role == Role.ADMINISTRATOR)
    is_superuser = factory.LazyAttribute(lambda user: user.role == Role.ADMINISTRATOR)
    is_active = True
    # Hashing is slow; tests that sign in with a password pass one explicitly.
    password = factory.django.Password(None)
