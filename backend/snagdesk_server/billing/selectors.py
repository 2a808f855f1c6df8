"""Reading billing: the services list and a service with its invoices and wallet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import (
    BillingProfile,
    CreditNote,
    Invoice,
    Product,
    Service,
    Wallet,
    WalletEntry,
)
from snagdesk_server.core.config import PlatformSettings, settings_get
from snagdesk_server.core.mail import Recipient

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


def service_states() -> list[tuple[str, str | Promise, int]]:
    """Every state (value, label) with how many services are in it."""
    counts = dict(Service.objects.values_list("state").annotate(count=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Service.State.choices]


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
    balance, entries = wallet_ledger(service.client_id, limit=10)
    return ServiceAccount(
        invoices=list(
            Invoice.objects.filter(service=service)
            .select_related("credit_note")
            .order_by("-issued_at", "-pk")
        ),
        balance=balance,
        entries=entries,
    )


def wallet_balance(client: Client | int) -> Decimal:
    """The balance of the wallet of ``client`` (or of the client of that id)."""
    client_id = client if isinstance(client, int) else client.pk
    balance = Wallet.objects.filter(client_id=client_id).values_list("balance", flat=True)
    return balance.first() or Decimal("0.00")


def wallet_ledger(client_id: int, *, limit: int) -> tuple[Decimal, list[WalletEntry]]:
    """A client's wallet balance and its ``limit`` latest movements, newest first (none
    before the client's first top-up or payment)."""
    wallet = Wallet.objects.filter(client_id=client_id).first()
    if wallet is None:
        return Decimal("0.00"), []
    return wallet.balance, list(wallet.entries.select_related("invoice").order_by("-pk")[:limit])


def best_sellers(limit: int = 5) -> list[tuple[str, int]]:
    """The products most services run on (online or suspended), with how many."""
    rows = (
        Service.objects.filter(state__in=[Service.State.ONLINE, Service.State.SUSPENDED])
        .values_list("product__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "product__name")[:limit]
    )
    return list(rows)


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


def credit_notes() -> QuerySet[CreditNote]:
    """Credit notes with what their document shows: the invoice credited, its client and
    its lines."""
    return CreditNote.objects.select_related("invoice__client", "invoice__service").prefetch_related(
        "invoice__lines"
    )


def credit_note_document(note: CreditNote) -> dict[str, Any]:
    """What a credit note's document shows: its invoice's document, and the note."""
    return {**invoice_document(note.invoice), "note": note}


def billing_profile(client: Client | int) -> BillingProfile:
    """``client``'s billing profile, unsaved with its defaults when it has none."""
    client_id = client if isinstance(client, int) else client.pk
    profile = (
        BillingProfile.objects.select_related("billing_contact").filter(client_id=client_id).first()
    )
    return profile or BillingProfile(client_id=client_id)


def billing_recipients(client: Client | int) -> list[Recipient]:
    """Who receives ``client``'s invoices, credit notes and billing notices, each in their
    language: its billing contact, or its primary contacts when it has none (or that
    contact is no longer active)."""
    contact = billing_profile(client).billing_contact
    if contact is not None and contact.active:
        return [Recipient(contact.email, contact.language)]
    client_id = client if isinstance(client, int) else client.pk
    primary = Contact.objects.filter(client_id=client_id, active=True, is_primary=True)
    return [Recipient(c.email, c.language) for c in primary.order_by("pk")]


def tax_rate_for(client: Client | int, product: Product) -> Decimal:
    """The rate ``client`` is taxed at for ``product``: its profile's, or the product's."""
    rate = billing_profile(client).tax_rate
    return product.tax_rate if rate is None else rate
