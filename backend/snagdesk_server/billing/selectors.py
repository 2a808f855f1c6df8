"""Reading billing: the services list and a service with its invoices and wallet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from snagdesk_server.accounts.models import Client
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import Invoice, Service, Wallet, WalletEntry
from snagdesk_server.core.config import PlatformSettings, settings_get

# What the list sorts by: a choice's key, and the ordering it stands for.
SORTS = {
    "expiry": ("expires_on", "pk"),
    "-expiry": ("-expires_on", "-pk"),
    "name": ("name", "pk"),
    "client": ("client__name", "name", "pk"),
}


def service_list(*, search: str = "", state: str = "", sort: str = "expiry") -> QuerySet[Service]:
    """Services whose name, client or product holds ``search``, in ``state`` if given."""
    services = Service.objects.select_related("client", "product")
    if search:
        services = services.filter(
            Q(name__icontains=search)
            | Q(client__name__icontains=search)
            | Q(product__name__icontains=search)
        )
    if state:
        services = services.filter(state=state)
    return services.order_by(*SORTS.get(sort, SORTS["expiry"]))


def service_counts() -> dict[str, int]:
    """How many services are in each state."""
    rows = Service.objects.values_list("state").annotate(count=Count("pk"))
    return dict(rows)


@dataclass
class ServiceAccount:
    """A service's invoices and its client's wallet, for its page."""

    invoices: list[Invoice]
    balance: Decimal
    entries: list[WalletEntry]

    @property
    def refundable(self) -> bool:
        """Whether a paid invoice is left that no credit note refunded."""
        return any(
            invoice.status == Invoice.Status.PAID and not hasattr(invoice, "credit_note")
            for invoice in self.invoices
        )


def service_account(service: Service) -> ServiceAccount:
    wallet = Wallet.objects.filter(client_id=service.client_id).first()
    return ServiceAccount(
        invoices=list(
            Invoice.objects.filter(service=service)
            .select_related("credit_note")
            .order_by("-issued_at", "-pk")
        ),
        balance=wallet.balance if wallet else Decimal("0.00"),
        entries=list(wallet.entries.select_related("invoice").order_by("-pk")[:10])
        if wallet
        else [],
    )


def best_sellers(limit: int = 5) -> list[tuple[str, int]]:
    """The products most services run on (online or suspended), with how many."""
    rows = (
        Service.objects.filter(state__in=[Service.State.ONLINE, Service.State.SUSPENDED])
        .values_list("product__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "product__name")[:limit]
    )
    return list(rows)


def wallet_balance_of(client: Client) -> Decimal:
    return Wallet.objects.filter(client=client).values_list(
        "balance", flat=True
    ).first() or Decimal("0.00")


def invoices() -> QuerySet[Invoice]:
    """Invoices with what their document shows: client, service, lines, credit note."""
    return Invoice.objects.select_related("client", "service", "credit_note").prefetch_related(
        "lines"
    )


def invoice_document(invoice: Invoice) -> dict[str, Any]:
    """What an invoice's document shows besides the invoice: the agency's details (its
    legal name, else the platform's company name) and the currency."""
    policy = settings_get(BillingSettings)
    return {
        "invoice": invoice,
        "seller": policy.legal_name or settings_get(PlatformSettings).company_name,
        "policy": policy,
        "currency": policy.currency,
    }
