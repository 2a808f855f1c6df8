"""The billing pages of the staff console: the settings, for managers only."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.urls import reverse

from snagdesk_server.accounts.models import User
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.core.config import settings_get
from tests import factories
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("billing:settings")


def _settings_data(**changes: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(BillingSettings()), **changes}


def test_the_settings_are_for_billing_managers_only() -> None:
    clerk = factories.staff_with_permissions("clients.view")
    client = client_for(clerk)

    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, _settings_data(grace_days=9)).status_code == 403
    assert settings_get(BillingSettings) == BillingSettings()


def test_a_manager_saves_the_settings() -> None:
    client = client_for(factories.staff_with_permissions("billing.manage"))
    page = client.get(SETTINGS_URL)

    response = client.post(
        SETTINGS_URL, _settings_data(renewal_lead_days=3, grace_days=5, currency="CHF")
    )

    assert page.status_code == 200
    assert "Days before expiry to invoice the renewal" in page.content.decode()
    assert response.status_code == 302
    assert settings_get(BillingSettings) == BillingSettings(
        currency="CHF", renewal_lead_days=3, grace_days=5
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"renewal_lead_days": -1}, "renewal_lead_days"),
        ({"grace_days": -3}, "grace_days"),
        ({"currency": "euro"}, "currency"),
        ({"currency": "eur"}, "currency"),
    ],
)
def test_refused_settings_name_the_field_and_save_nothing(
    staff: User, changes: dict[str, Any], field: str
) -> None:
    response = client_for(staff).post(SETTINGS_URL, _settings_data(**changes))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert settings_get(BillingSettings) == BillingSettings()
