from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from snagdesk_server.accounts.models import User
from tests import factories


def client_for(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(db: None) -> HttpClient:
    """A staff member who may see tickets but not change or create them."""
    return client_for(factories.StaffFactory(role__permissions=["tickets.view"]))


@pytest.fixture
def outsider_client(db: None) -> HttpClient:
    """A staff member whose role grants nothing about tickets or departments."""
    return client_for(factories.StaffFactory(role__permissions=["clients.view"]))
