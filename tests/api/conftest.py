from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.services import api_token_create
from tests import factories


def token_client(user: User) -> APIClient:
    client = APIClient()
    key = api_token_create(user=user, name="tests").key
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api(staff_user: User) -> APIClient:
    """A staff member holding every module permission, signed in by API token."""
    return token_client(staff_user)


@pytest.fixture
def restricted_staff(db: None) -> User:
    """A staff member whose role grants no module permission."""
    return factories.StaffFactory(role__permissions=[])
