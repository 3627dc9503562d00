"""Fixtures shared by every test: API clients with and without a key, and a user."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="recruiter")


@pytest.fixture
def api_key(user):
    return Token.objects.create(user=user).key


@pytest.fixture
def api_client():
    """A client that sends no credentials."""
    return APIClient()


@pytest.fixture
def auth_client(api_key):
    """A client that sends a valid `Authorization: Bearer` key, and JSON bodies."""
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    client.default_format = "json"
    return client
