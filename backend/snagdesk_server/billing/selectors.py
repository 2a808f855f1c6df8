"""Reading billing: the services list and a service with its invoices and wallet, and
the revenue.

The revenue counts paid invoices on their payment day and credit notes, negative, on
their issue day. Each invoice is the revenue of the product it bills (``Invoice.product``,
fixed when it is issued: a renewal's service's product then, an upgrade's new product),
all its lines together (its net, tax and total are their sums), so a service's earlier
renewals stay with the product they were sold as after it changes product. A credit
note refunds its invoice whole, so it takes back the invoice's net and tax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar, overload

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Trunc
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import (
    ZERO,
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
from snagdesk_server.core.periods import money

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
    return CreditNote.objects.select_related(
        "invoice__client", "invoice__service"
    ).prefetch_related("invoice__lines")


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


def tax_rate_for(client: Client, product: Product) -> Decimal:
    """The rate ``client`` is taxed at for ``product``: its profile's, or the product's
    (read with the client when the query joined it)."""
    try:
        rate = client.billing_profile.tax_rate
    except BillingProfile.DoesNotExist:
        rate = None
    return product.tax_rate if rate is None else rate


# Revenue -------------------------------------------------------------------------------

_MONEY = DecimalField(max_digits=12, decimal_places=2)
_Row = TypeVar("_Row", bound=Model)


@dataclass(frozen=True)
class RevenueFilters:
    """The transactions counted: paid or issued from ``start`` to ``end`` (both included,
    days in the installation's time zone), of ``product`` and of a product whose name
    holds ``search`` when given. ``period`` and ``sort`` shape the summary only."""

    start: date
    end: date
    search: str = ""
    product: Product | None = None
    period: str = "month"  # or "quarter", "year": what the database truncates days to
    sort: str = "revenue"  # the most net revenue first; or "product", by name


def _attributed(path: str) -> dict[str, F]:
    """The product the invoice at ``path`` ("" on an invoice, "invoice__" on its credit
    note) is revenue of, with its name and group."""
    return {
        "product_ref": F(f"{path}product_id"),
        "product_name": F(f"{path}product__name"),
        "product_group": F(f"{path}product__group__name"),
    }


def _of_product(rows: QuerySet[_Row], filters: RevenueFilters) -> QuerySet[_Row]:
    if filters.product is not None:
        rows = rows.filter(product_ref=filters.product.pk)
    if filters.search:
        rows = rows.filter(product_name__icontains=filters.search)
    return rows.order_by()


def _paid_invoices(filters: RevenueFilters) -> QuerySet[Invoice]:
    """The invoices paid within the filters' days, each with its product."""
    invoices = Invoice.objects.filter(
        status=Invoice.Status.PAID, paid_at__date__range=(filters.start, filters.end)
    )
    return _of_product(invoices.annotate(**_attributed("")), filters)


def _credit_notes(filters: RevenueFilters) -> QuerySet[CreditNote]:
    """The credit notes issued within the filters' days, each with its invoice's product."""
    notes = CreditNote.objects.filter(issued_at__date__range=(filters.start, filters.end))
    return _of_product(notes.annotate(**_attributed("invoice__")), filters)


@dataclass
class RevenueLine:
    """What a product brought in a period (``product_id`` None: invoices without one),
    or the sum of several lines (no product): its paid invoices' count and amounts, and
    the net its credit notes took back (zero or less)."""

    product_id: int | None = None
    product: str = ""
    group: str = ""
    invoices: int = 0
    net: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    credited: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        """The net revenue: the invoices' net less what the credit notes took back."""
        return self.net + self.credited


def _line_sum(lines: list[RevenueLine]) -> RevenueLine:
    return RevenueLine(
        invoices=sum(line.invoices for line in lines),
        net=sum((line.net for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        credited=sum((line.credited for line in lines), ZERO),
    )


@dataclass(frozen=True)
class RevenuePeriod:
    """A month, quarter or year (``kind``) from ``start``, with a line per product."""

    start: date
    kind: str
    lines: list[RevenueLine]

    @cached_property
    def subtotal(self) -> RevenueLine:
        return _line_sum(self.lines)

    @property
    def label(self) -> str:
        """Its name in the active language: "March 2026", "Q1 2026" or "2026"."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return _("Q%(quarter)d %(year)d") % {"quarter": quarter, "year": self.start.year}
        return date_format(self.start, "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class RevenueSummary:
    periods: list[RevenuePeriod]

    @cached_property
    def totals(self) -> RevenueLine:
        return _line_sum([period.subtotal for period in self.periods])


def _by_period(rows: QuerySet[Any], moment: str, period: str) -> QuerySet[Any, dict[str, Any]]:
    """``rows`` grouped by ``period`` of the day of ``moment`` and by product."""
    truncated = Trunc(moment, period, output_field=DateField())
    return rows.annotate(period=truncated).values(
        "period", "product_ref", "product_name", "product_group"
    )


def _line_order(sort: str) -> Callable[[RevenueLine], tuple[Any, ...]]:
    if sort == "product":
        return lambda line: (line.product_id is None, line.product.casefold(), line.group)
    return lambda line: (-line.revenue, line.product.casefold(), line.group)


def _line(row: dict[str, Any], **amounts: Any) -> RevenueLine:
    return RevenueLine(
        product_id=row["product_ref"],
        product=row["product_name"] or "",
        group=row["product_group"] or "",
        **amounts,
    )


def revenue_summary(filters: RevenueFilters) -> RevenueSummary:
    """What each product brought in each period, oldest period first: the paid invoices
    by their payment day, the credit notes by their issue day, summed by the database
    in two queries whatever their number."""
    invoices = _by_period(_paid_invoices(filters), "paid_at", filters.period).annotate(
        count=Count("pk"), net_sum=Sum("net"), tax_sum=Sum("tax"), total_sum=Sum("total")
    )
    notes = _by_period(_credit_notes(filters), "issued_at", filters.period).annotate(
        credited_sum=Sum("invoice__net")
    )
    lines: dict[tuple[date, int | None], RevenueLine] = {}
    # SQLite sums decimals as floats: each sum is rounded back to the cent.
    for row in invoices:
        lines[(row["period"], row["product_ref"])] = _line(
            row,
            invoices=row["count"],
            net=money(row["net_sum"]),
            tax=money(row["tax_sum"]),
            total=money(row["total_sum"]),
        )
    for row in notes:
        key = (row["period"], row["product_ref"])
        lines.setdefault(key, _line(row)).credited = -money(row["credited_sum"])
    periods: dict[date, list[RevenueLine]] = {}
    for (start, _product), found in lines.items():
        periods.setdefault(start, []).append(found)
    order = _line_order(filters.sort)
    return RevenueSummary(
        [
            RevenuePeriod(start, filters.period, sorted(periods[start], key=order))
            for start in sorted(periods)
        ]
    )


@dataclass(frozen=True)
class Transaction:
    """A row of the revenue: a paid invoice on its payment day, or a credit note on its
    issue day with its invoice's amounts taken back (negative). ``pk`` is the invoice's
    or the credit note's, by ``kind``."""

    kind: str  # "invoice" or "credit_note"
    on: datetime
    pk: int
    number: str
    client: str
    service_id: int | None
    service: str | None
    product_id: int | None
    product: str | None
    product_group: str | None
    net: Decimal
    tax: Decimal
    total: Decimal

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"


class Transactions:
    """The transactions of a revenue query, newest first, counted and sliced by the
    database (a ``Paginator`` takes them) or streamed (iterated)."""

    def __init__(self, rows: QuerySet[Any, tuple[Any, ...]]) -> None:
        self._rows = rows

    def count(self) -> int:
        return self._rows.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Transaction: ...

    @overload
    def __getitem__(self, index: slice) -> list[Transaction]: ...

    def __getitem__(self, index: int | slice) -> Transaction | list[Transaction]:
        if isinstance(index, slice):
            return [_transaction(row) for row in self._rows[index]]
        return _transaction(self._rows[index])

    def __iter__(self) -> Iterator[Transaction]:
        return map(_transaction, self._rows.iterator(chunk_size=1000))


# The union's columns: a transaction's fields, in their order.
_TRANSACTION_FIELDS = [field.name for field in fields(Transaction)]


def _transaction(row: tuple[Any, ...]) -> Transaction:
    """A row of ``_columns``, its amounts to the cent (SQLite computes the credit notes'
    as floats)."""
    values = dict(zip(_TRANSACTION_FIELDS, row, strict=True))
    for amount in ("net", "tax", "total"):
        values[amount] = money(values[amount])
    return Transaction(**values)


def _columns(rows: QuerySet[Any], **columns: Any) -> QuerySet[Any, tuple[Any, ...]]:
    """``rows`` as a transaction's columns, in their order (both sides of the union must
    list theirs alike), each named apart from the models' fields."""
    named = {f"t_{name}": columns[name] for name in _TRANSACTION_FIELDS}
    return rows.annotate(**named).values_list(*named)


def _negated(name: str) -> ExpressionWrapper:
    return ExpressionWrapper(-F(name), output_field=_MONEY)


def revenue_transactions(filters: RevenueFilters) -> Transactions:
    """The paid invoices and the credit notes the filters count, newest first (a credit
    note before the invoice it refunds at the same moment)."""
    invoices = _columns(
        _paid_invoices(filters),
        kind=Value("invoice"),
        on=F("paid_at"),
        pk=F("pk"),
        number=F("number"),
        client=F("client__name"),
        service_id=F("service_id"),
        service=F("service__name"),
        product_id=F("product_ref"),
        product=F("product_name"),
        product_group=F("product_group"),
        net=F("net"),
        tax=F("tax"),
        total=F("total"),
    )
    notes = _columns(
        _credit_notes(filters),
        kind=Value("credit_note"),
        on=F("issued_at"),
        pk=F("pk"),
        number=F("number"),
        client=F("invoice__client__name"),
        service_id=F("invoice__service_id"),
        service=F("invoice__service__name"),
        product_id=F("product_ref"),
        product=F("product_name"),
        product_group=F("product_group"),
        net=_negated("invoice__net"),
        tax=_negated("invoice__tax"),
        total=_negated("total"),
    )
    rows = invoices.union(notes, all=True).order_by("-t_on", "t_kind", "-t_number")
    return Transactions(rows)
