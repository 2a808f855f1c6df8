"""The provisioning interface: what delivers, suspends and removes a service where it
runs (a hosting panel, a licence server). A product names its provider; the services
call it and record a failure on the service (``provisioning_error``) instead of
changing its state, so a service is never half-done.

``manual`` does nothing (staff act by hand); ``demo`` fills in provisioning data the way
a real panel would, for the demo desk. Other providers register with ``provider_register``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.errors import ValidationError


class ProvisioningError(Exception):
    """The provider could not do it; the message is shown on the service."""


class Provider:
    """Each call gets the service as it is before the change, and returns the
    provisioning data to keep (``create``) or nothing."""

    key = ""
    label: Any = ""

    def create(self, service: Any) -> dict[str, Any]:
        return dict(service.provisioning_data)

    def suspend(self, service: Any) -> None:
        return None

    def unsuspend(self, service: Any) -> None:
        return None

    def terminate(self, service: Any) -> None:
        return None

    def rename(self, service: Any, name: str) -> None:
        return None

    def change_product(self, service: Any, product: Any) -> None:
        return None


class ManualProvider(Provider):
    key = "manual"
    label = _("Manual (staff act by hand)")


class DemoProvider(Provider):
    key = "demo"
    label = _("Demo panel")

    def create(self, service: Any) -> dict[str, Any]:
        return {
            **service.provisioning_data,
            "server": "demo-1.snagdesk.localhost",
            "username": f"svc{secrets.token_hex(3)}",
        }


_providers: dict[str, Provider] = {}


def provider_register(provider: Provider) -> Provider:
    _providers[provider.key] = provider
    return provider


def provider_get(key: str) -> Provider:
    try:
        return _providers[key]
    except KeyError:
        raise ValidationError(
            field_errors={"provider": [gettext("Choose a provisioning module.")]}
        ) from None


def provider_choices() -> list[tuple[str, Any]]:
    return [(p.key, p.label) for p in _providers.values()]


provider_register(ManualProvider())
provider_register(DemoProvider())
