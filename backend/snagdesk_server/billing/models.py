"""Billing: what the agency sells (products in groups), the services it delivers to
clients and their lifecycle, the invoices that renew them, and each client's wallet.

- A **service** renews by cycles of whole months from its anchor day (``periods``); its
  ``monthly_price`` is fixed when it is delivered, so a later product price change does
  not touch it, and its cycle price is that times the cycle's months.
- An **invoice** is numbered when it is issued, from a counter per year that only a
  committed invoice advances (``core.services.sequence_next``): numbers have no gaps.
  A renewal invoice is unique per (service, period), which the database enforces.
- The **wallet** is an append-only ledger; ``Wallet.balance`` is its cached sum, moved in
  the same transaction under a row lock and never below zero (a CHECK backs it).

Money is ``Decimal`` with two places everywhere (12 digits).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class ProductGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    allows_upgrades = models.BooleanField(
        _("allows upgrades"),
        default=False,
        help_text=_("A service may move to another product of the group."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=150)
    monthly_price = models.DecimalField(_("monthly price"), max_digits=12, decimal_places=2)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    provider = models.CharField(_("provisioning module"), max_length=50, default="manual")
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        ordering = ["group__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="billing_product_name"),
            models.CheckConstraint(
                condition=Q(monthly_price__gt=0), name="billing_product_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


CYCLE_MONTHS = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.SEMI_ANNUAL: 6, Cycle.ANNUAL: 12}


class Service(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ONLINE = "online", _("Online")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")
        EXPIRED = "expired", _("Expired")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=150)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    cycle = models.CharField(
        _("billing cycle"), max_length=12, choices=Cycle.choices, default=Cycle.MONTHLY
    )
    monthly_price = models.DecimalField(_("price per month"), max_digits=12, decimal_places=2)
    expires_on = models.DateField(_("expiry"))
    # The day of the month the service renews on, kept when a shorter month clips it.
    anchor_day = models.PositiveSmallIntegerField()
    max_renewals = models.PositiveIntegerField(
        _("maximum renewals"), default=0, help_text=_("0: unlimited.")
    )
    renewals_done = models.PositiveIntegerField(_("renewals done"), default=0)
    wallet_auto_renew = models.BooleanField(_("renew from the wallet"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    provisioning_data = models.JSONField(_("provisioning data"), default=dict, blank=True)
    # The last provisioning call that failed, shown on the service until one succeeds.
    provisioning_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["state", "expires_on"], name="billing_service_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_price__gt=0), name="billing_service_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(anchor_day__gte=1, anchor_day__lte=31),
                name="billing_service_anchor_day",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def months(self) -> int:
        return CYCLE_MONTHS[Cycle(self.cycle)]

    @property
    def cycle_price(self) -> Decimal:
        return self.monthly_price * self.months


class Invoice(models.Model):
    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")

    class Kind(models.TextChoices):
        RENEWAL = "renewal", _("Renewal")
        UPGRADE = "upgrade", _("Upgrade")
        CHARGE = "charge", _("Charge")

    number = models.CharField(_("number"), max_length=20, unique=True)
    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RENEWAL)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNPAID
    )
    # A renewal invoice: the service, and the expiry it renews from (its period's start).
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # The product it bills, as it was sold: a renewal's service's product when it was
    # issued, an upgrade's new one (None: an invoice of something that is no product).
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    # An upgrade invoice: the product the service moves to once it is paid.
    upgrade_to = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A charge: what another module bills under its own name (``core.charges``).
    reference = models.CharField(max_length=100, blank=True)
    net = models.DecimalField(_("net"), max_digits=12, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_start"],
                condition=Q(kind="renewal"),
                name="billing_invoice_one_renewal_per_period",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="billing_invoice_one_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class CreditNote(models.Model):
    """A refund of an invoice, numbered from its own counter per year, without gaps."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    invoice = models.OneToOneField(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="credit_note"
    )
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    to_wallet = models.BooleanField(_("credited to the wallet"))
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class Wallet(models.Model):
    client = models.OneToOneField(
        "accounts.Client", on_delete=models.PROTECT, related_name="wallet"
    )
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="billing_wallet_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.balance}"


class WalletEntry(models.Model):
    """One movement of a wallet, never changed nor deleted: the balance is their sum."""

    class Kind(models.TextChoices):
        TOP_UP = "top_up", _("Top-up")
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")
        DOWNGRADE = "downgrade", _("Downgrade credit")

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)  # positive in, negative out
    balance_after = models.DecimalField(max_digits=12, decimal_places=2)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="wallet_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="billing_wallet_entry_nonzero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="billing_wallet_entry_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class BillingProfile(models.Model):
    """How a client is billed: who receives its invoices, and the tax rate that replaces
    its products' own (a client abroad billed under reverse charge at 0 %, say)."""

    client = models.OneToOneField(
        "accounts.Client", on_delete=models.CASCADE, related_name="billing_profile"
    )
    billing_contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("billing contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Receives the invoices and credit notes; if empty, the primary contacts."),
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Replaces the products' tax rates on this client's invoices; if empty, "
            "each product's own rate applies."
        ),
    )

    def __str__(self) -> str:
        return str(self.client)


class Checkout(models.Model):
    """A payment started with an online payment provider (a Stripe Checkout session): of
    an invoice, or a top-up of the client's wallet. Only the provider's signed
    notification completes it."""

    class Purpose(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        TOP_UP = "top_up", _("Wallet top-up")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")

    provider = models.CharField(max_length=20)
    session_id = models.CharField(max_length=255)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="checkouts"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="checkouts"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    url = models.URLField(max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "session_id"], name="billing_checkout_session"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_checkout_positive"),
            models.CheckConstraint(
                condition=Q(purpose="top_up", invoice__isnull=True)
                | Q(purpose="invoice", invoice__isnull=False),
                name="billing_checkout_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.session_id


class PaymentEvent(models.Model):
    """A notification a payment provider delivered, kept by its id so one delivered
    twice is acted on once."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="billing_payment_event"),
        ]

    def __str__(self) -> str:
        return self.event_id
