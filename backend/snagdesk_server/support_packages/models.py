"""Support packages: prepaid units (tickets, interventions, calls) sold to contacts.

- A **package type** says how many units a grant gives, how long each grant stays
  valid, how often the package renews, and whether unused units carry over.
- An **assignment** gives a type to a contact from a start date. Each of its periods
  (the start, then every renewal) is one **grant**, unique per (assignment, period),
  which the database enforces; a grant gives a **batch** of units expiring on its own.
- The **ledger** is append-only; ``Assignment.balance`` is its cached sum, moved in the
  same transaction under the assignment's row lock. Under the block policy it never
  goes below zero; under the allow policy a negative balance is the overage.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class PackageType(models.Model):
    class Overage(models.TextChoices):
        BLOCK = "block", _("Block: no work without units")
        ALLOW = "allow", _("Allow and flag the overage")

    class DiscountKind(models.TextChoices):
        PERCENT = "percent", _("Percentage")
        FIXED = "fixed", _("Fixed amount")

    class AfterLastTier(models.TextChoices):
        KEEP = "keep", _("Keep the last discount")
        RESET = "reset", _("Return to no discount")

    name = models.CharField(_("name"), max_length=150, unique=True)
    unit_plural = models.CharField(_("unit label (plural)"), max_length=50)
    unit_singular = models.CharField(_("unit label (singular)"), max_length=50)
    units = models.PositiveIntegerField(_("units per grant"))
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"))
    renewal_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), default=0, help_text=_("0: no renewal.")
    )
    cumulative = models.BooleanField(
        _("cumulative"),
        default=True,
        help_text=_("Unused units stay until they expire; otherwise a renewal ends them."),
    )
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, default=ZERO)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    overage = models.CharField(
        _("when no units remain"), max_length=5, choices=Overage.choices, default=Overage.BLOCK
    )
    low_balance_threshold = models.PositiveIntegerField(
        _("low-balance alert at"),
        default=0,
        help_text=_("Alert the contact when this many units or fewer remain; 0: only at none."),
    )
    discount_kind = models.CharField(
        _("discount type"),
        max_length=7,
        choices=DiscountKind.choices,
        default=DiscountKind.PERCENT,
    )
    after_last_tier = models.CharField(
        _("after the last discount"),
        max_length=5,
        choices=AfterLastTier.choices,
        default=AfterLastTier.KEEP,
    )
    active = models.BooleanField(_("can be assigned"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="sp_type_units_positive"),
            models.CheckConstraint(
                condition=Q(validity_months__gte=1), name="sp_type_validity_positive"
            ),
            models.CheckConstraint(
                condition=Q(renewal_months__lte=F("validity_months")),
                name="sp_type_renewal_within_validity",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="sp_type_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class DiscountTier(models.Model):
    """From subscription month ``month`` on, ``value`` off the price (a percentage or an
    amount, by the type's discount kind), until the next tier."""

    package_type = models.ForeignKey(PackageType, on_delete=models.CASCADE, related_name="tiers")
    month = models.PositiveSmallIntegerField(_("from month"))
    value = models.DecimalField(_("discount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["package_type", "month"]
        constraints = [
            models.UniqueConstraint(fields=["package_type", "month"], name="sp_tier_month"),
            models.CheckConstraint(condition=Q(month__gte=1), name="sp_tier_month_positive"),
            models.CheckConstraint(condition=Q(value__gt=0), name="sp_tier_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.package_type}: month {self.month}"


class Assignment(models.Model):
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="package_assignments",
    )
    package_type = models.ForeignKey(
        PackageType,
        verbose_name=_("package"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    start_on = models.DateField(_("start date"))
    active = models.BooleanField(_("active"), default=True)
    balance = models.IntegerField(_("remaining"), default=0)
    # The next period to grant and its date (None: the package does not renew).
    next_period = models.PositiveIntegerField(default=0)
    next_renewal_on = models.DateField(_("next renewal"), null=True, blank=True)
    # The subscription month (1 from the start) and the day the next one begins.
    subscription_month = models.PositiveIntegerField(_("subscription month"), default=1)
    month_advances_on = models.DateField()
    low_balance_alerted = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-active", "contact__last_name", "contact__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "package_type"],
                condition=Q(active=True),
                name="sp_assignment_one_active_per_type",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_renewal_on"],
                condition=Q(active=True),
                name="sp_assignment_renewal_due",
            ),
            models.Index(
                fields=["month_advances_on"],
                condition=Q(active=True),
                name="sp_assignment_month_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package_type} — {self.contact}"

    @property
    def overage(self) -> bool:
        return self.balance < 0


class Grant(models.Model):
    """One period of an assignment: its units, granted at once when the package is free,
    else once the invoice billing it is paid."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        AWAITING_PAYMENT = "awaiting", _("Awaiting payment")
        LAPSED = "lapsed", _("Not paid: nothing granted")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="grants")
    period = models.PositiveIntegerField()
    due_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    subscription_month = models.PositiveIntegerField(_("subscription month"))
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, default=ZERO)
    discount = models.DecimalField(_("discount"), max_digits=12, decimal_places=2, default=ZERO)
    discount_label = models.CharField(_("discount"), max_length=100, blank=True)
    invoice_number = models.CharField(_("invoice"), max_length=20, blank=True)
    lapses_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["assignment", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="sp_grant_one_per_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["lapses_on"], condition=Q(status="awaiting"), name="sp_grant_awaiting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.period}"

    @property
    def reference(self) -> str:
        return f"support_packages.grant:{self.pk}"


class Batch(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="batches")
    # None: units staff added by hand (``unit_adjust``).
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="batch"
    )
    units = models.PositiveIntegerField(_("units"))
    remaining = models.PositiveIntegerField(_("remaining"))
    granted_on = models.DateField(_("granted"))
    expires_on = models.DateField(_("expires"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    expiry_alerted = models.BooleanField(default=False)

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__lte=F("units")), name="sp_batch_remaining_within_units"
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_on"], condition=Q(ended_on__isnull=True), name="sp_batch_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.units} → {self.expires_on}"


class Entry(models.Model):
    """One movement of an assignment's units, never changed nor deleted."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        CONSUME = "consume", _("Consumption")
        EXPIRE = "expire", _("Expired")
        ADJUST = "adjust", _("Adjustment")
        REVERSE = "reverse", _("Reversal")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="entries")
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    units = models.IntegerField(_("units"))  # positive in, negative out
    balance_after = models.IntegerField(_("balance"))
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unit_entries",
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("date"))

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(condition=~Q(units=0), name="sp_entry_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.units}"


class Shortfall(models.Model):
    """A ticket a contact opened with no units left under the block policy: filed, and
    flagged for staff to decide on, until someone consumes units for it or dismisses it."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="unit_shortfall"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="shortfalls")
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.ticket_id}"
