from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.billing import provisioning
from snagdesk_server.billing.models import Product, ProductGroup
from snagdesk_server.billing.provisioning import Provider, ProvisioningError, provider_register
from tests import factories


@pytest.fixture
def staff(db: None) -> User:
    return factories.StaffFactory(full_name="Sam Staff", email="sam@agency.example")


@pytest.fixture
def acme(db: None) -> Client:
    """A client with a primary contact who reads French and a second one."""
    client = factories.ClientFactory(name="Acme")
    factories.ContactFactory(
        client=client, email="billing@acme.example", is_primary=True, language="fr"
    )
    factories.ContactFactory(client=client, email="dev@acme.example")
    return client


@pytest.fixture
def hosting(db: None) -> Product:
    group = ProductGroup.objects.create(name="Hosting", allows_upgrades=True)
    return Product.objects.create(group=group, name="Starter", monthly_price=Decimal("4.99"))


class _Panel(Provider):
    """A hosting panel standing in for the one outside the machine: it answers each
    call, or fails the calls named in ``failing``, and remembers what it was asked."""

    key = "panel"
    label = "Test panel"

    def __init__(self) -> None:
        self.failing: set[str] = set()
        self.calls: list[tuple[str, int]] = []

    def _call(self, name: str, service: Any) -> None:
        self.calls.append((name, service.pk))
        if name in self.failing:
            raise ProvisioningError(f"The panel refused to {name}.")

    def create(self, service: Any) -> dict[str, Any]:
        self._call("create", service)
        return {"account": f"acct{service.pk}"}

    def suspend(self, service: Any) -> None:
        self._call("suspend", service)

    def unsuspend(self, service: Any) -> None:
        self._call("unsuspend", service)

    def terminate(self, service: Any) -> None:
        self._call("terminate", service)


@pytest.fixture
def panel(db: None) -> Iterator[_Panel]:
    panel = _Panel()
    provider_register(panel)
    yield panel
    del provisioning._providers[panel.key]


@pytest.fixture
def panel_product(hosting: Product, panel: _Panel) -> Product:
    return Product.objects.create(
        group=hosting.group, name="Managed", monthly_price=Decimal("10.00"), provider="panel"
    )
