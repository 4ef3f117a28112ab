"""The API token backend that ``authenticate(request, api_token=...)`` reaches."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from rightstrack.accounts.models import ApiToken
from rightstrack.accounts.services import api_token_create

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _request():
    return RequestFactory().get("/api/")


def test_it_authenticates_the_owner_of_a_token_and_records_its_use():
    user = UserFactory()
    token, raw = api_token_create(user=user)

    assert authenticate(_request(), api_token=raw) == user

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_records_use_at_most_every_few_minutes():
    token, raw = api_token_create(user=UserFactory())
    recently = timezone.now() - datetime.timedelta(seconds=60)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)

    authenticate(_request(), api_token=raw)

    token.refresh_from_db()
    assert token.last_used_at == recently


def test_it_refuses_unknown_tokens_and_tokens_of_deactivated_users():
    user = UserFactory()
    _, raw = api_token_create(user=user)
    user.is_active = False
    user.save()

    assert authenticate(_request(), api_token=raw) is None
    assert authenticate(_request(), api_token="not-a-token") is None
    assert authenticate(_request(), api_token="") is None
