"""The events billing emits, after the change commits (``core.events``)."""

from __future__ import annotations

from snagdesk_server.core.events import Field, event_declare

_SERVICE = {
    "service_id": Field(int, "The service."),
    "client_id": Field(int, "The client it is sold to."),
    "product_id": Field(int, "Its product."),
    "state": Field(str, "Its state after the change."),
    "expires_on": Field(str, "Its expiry (ISO 8601 date)."),
}
_INVOICE = {
    "invoice_id": Field(int, "The invoice."),
    "number": Field(str, "Its number, sequential per year."),
    "client_id": Field(int, "The client billed."),
    "service_id": Field(int, "The service it renews, if any.", nullable=True),
    "total": Field(str, "Its total, a decimal string (`59.88`)."),
    "reference": Field(
        str, "What another module billed on it (`support_packages.grant:12`); else empty."
    ),
}

SERVICE_CREATED = event_declare(
    name="service.created",
    description="A service was delivered (provisioning ran) or an existing one imported.",
    payload=_SERVICE,
)
SERVICE_STATE_CHANGED = event_declare(
    name="service.state_changed",
    description="A service was suspended, unsuspended, terminated or expired.",
    payload={**_SERVICE, "previous_state": Field(str, "Its state before the change.")},
)
SERVICE_RENEWED = event_declare(
    name="service.renewed",
    description="A paid renewal invoice extended a service by one cycle.",
    payload=_SERVICE,
)
SERVICE_PRODUCT_CHANGED = event_declare(
    name="service.product_changed",
    description="A service moved to another product of its group (upgrade or downgrade).",
    payload=_SERVICE,
)
INVOICE_ISSUED = event_declare(
    name="invoice.issued",
    description="An invoice was issued, with its number.",
    payload=_INVOICE,
)
INVOICE_PAID = event_declare(
    name="invoice.paid",
    description="An invoice was paid (from the wallet, marked paid by staff, or online).",
    payload={**_INVOICE, "method": Field(str, "`wallet`, `manual` or `stripe`.")},
)
WALLET_TOPPED_UP = event_declare(
    name="wallet.topped_up",
    description="Money was added to a client's wallet (recorded by staff, or paid online).",
    payload={
        "client_id": Field(int, "The client."),
        "amount": Field(str, "What was added, a decimal string (`50.00`)."),
        "balance": Field(str, "The balance after it, a decimal string."),
        "method": Field(str, "`manual` (recorded by staff) or `stripe`."),
    },
)
