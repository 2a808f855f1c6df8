from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from snagdesk_server.website_support.models import WidgetToken
from tests import factories


@pytest.fixture
def token(db: None) -> WidgetToken:
    """A token on https://client.example with no default contact: visitors give a name."""
    return factories.WidgetTokenFactory()


@pytest.fixture
def visitor() -> HttpClient:
    """A browser on the client's site: no Snagdesk cookies, CSRF checks on."""
    return HttpClient(enforce_csrf_checks=True)
