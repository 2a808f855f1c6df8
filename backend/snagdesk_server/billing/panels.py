"""What billing adds to the dashboard and the client page (core.modules)."""

from __future__ import annotations

from typing import Any

from snagdesk_server.accounts.models import Client
from snagdesk_server.billing import selectors
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest


def dashboard(request: StaffRequest, _: None) -> dict[str, Any]:
    states = selectors.service_states()
    return {
        "service_total": sum(n for _, _, n in states),
        "service_states": [state for state in states if state[2]],
        "best_sellers": selectors.best_sellers(),
    }


def client_services(request: StaffRequest, client: Client) -> dict[str, Any]:
    return {
        "client": client,
        "client_services": list(selectors.service_list().filter(client=client)),
        "wallet_balance": selectors.wallet_balance(client),
        "billing_profile": selectors.billing_profile(client),
        "currency": settings_get(BillingSettings).currency,
    }
