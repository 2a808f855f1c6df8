"""Support packages' writes: package types and their discount tiers, assignments, and
every movement of units (grant, consume, expire, adjust, reverse).

Every function is atomic and takes ``actor`` (None: the system) and ``now``. A change to
an assignment's units locks the assignment row first, so concurrent consumptions queue
on it and the cached balance never loses an update. The stock job lives in ``stock``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.bulk import rows_update
from snagdesk_server.core.charges import ChargeLine, billing_available, charge_issue
from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.periods import money, months_after
from snagdesk_server.core.services import audit_record
from snagdesk_server.support_packages import audit, events
from snagdesk_server.support_packages.errors import InsufficientUnits
from snagdesk_server.support_packages.models import (
    ZERO,
    Assignment,
    Batch,
    DiscountTier,
    Entry,
    Grant,
    PackageType,
    Shortfall,
)
from snagdesk_server.tickets.models import Ticket

REFERENCE_PREFIX = "support_packages.grant"


def today_of(now: datetime) -> date:
    return timezone.localdate(now)


# Calendar -----------------------------------------------------------------------------


def period_due_on(assignment: Assignment, period: int) -> date:
    """The day period ``period`` (0: the start) of ``assignment`` is granted, counted
    from the start date so a start on the 31st stays on the month's last day."""
    months = period * assignment.package_type.renewal_months
    return months_after(assignment.start_on, months, anchor_day=assignment.start_on.day)


def subscription_month_on(assignment: Assignment, day: date) -> int:
    """The subscription month ``day`` falls in: 1 from the start date, 2 a month later."""
    start = assignment.start_on
    month = (day.year - start.year) * 12 + day.month - start.month + 1
    if months_after(start, month - 1, anchor_day=start.day) > day:
        month -= 1
    return max(month, 1)


def month_starts_on(assignment: Assignment, month: int) -> date:
    return months_after(assignment.start_on, month - 1, anchor_day=assignment.start_on.day)


# Discounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Discount:
    tier: DiscountTier | None
    amount: Decimal
    label: str


def discount_for(package_type: PackageType, tiers: list[DiscountTier], month: int) -> Discount:
    """The tier that applies in subscription ``month`` (``tiers`` in ascending order) and
    what it takes off the type's price. A tier lasts until the next one; the last one
    for good, or, when the type returns to no discount, for one renewal period."""
    reached = [tier for tier in tiers if tier.month <= month]
    if not reached:
        return Discount(None, ZERO, "")
    tier = reached[-1]
    if tier is tiers[-1] and package_type.after_last_tier == PackageType.AfterLastTier.RESET:
        span = package_type.renewal_months or 1
        if month >= tier.month + span:
            return Discount(None, ZERO, "")
    if package_type.discount_kind == PackageType.DiscountKind.PERCENT:
        amount = money(package_type.price * tier.value / 100)
        label = _("%(value)s %% off from month %(month)d") % {
            "value": f"{tier.value.normalize():f}",
            "month": tier.month,
        }
    else:
        amount = min(tier.value, package_type.price)
        label = _("%(value)s off from month %(month)d") % {"value": tier.value, "month": tier.month}
    return Discount(tier, amount, label)


# Package types ------------------------------------------------------------------------


def unit_singular_suggest(plural: str) -> str:
    """The singular staff are offered for a plural label (``tickets`` → ``ticket``);
    they correct it where the language does not work that way."""
    plural = plural.strip()
    if len(plural) > 1 and plural.endswith("s") and not plural.endswith("ss"):
        return plural[:-1]
    return plural


# Beyond any real package, and within the database's integer columns.
UNITS_MAX = 100_000
MONTHS_MAX = 1200


def _int(value: Any, *, field: str, minimum: int, maximum: int = UNITS_MAX) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(field_errors={field: [_("Enter a whole number.")]}) from None
    if isinstance(value, float) and value != number:
        raise ValidationError(field_errors={field: [_("Enter a whole number.")]})
    if number < minimum:
        raise ValidationError(
            field_errors={field: [_("Enter %(minimum)d or more.") % {"minimum": minimum}]}
        )
    if number > maximum:
        raise ValidationError(
            field_errors={field: [_("Enter at most %(maximum)s.") % {"maximum": maximum}]}
        )
    return number


def _amount(value: Any, *, field: str, maximum: Decimal | None = None) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValidationError(field_errors={field: [_("Enter an amount, such as 49.00.")]})
    if amount < 0:
        raise ValidationError(field_errors={field: [_("Enter zero or more.")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(field_errors={field: [_("Enter at most two decimals.")]})
    if maximum is not None and amount > maximum:
        raise ValidationError(
            field_errors={field: [_("Enter at most %(maximum)s.") % {"maximum": maximum}]}
        )
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TypeInput:
    """What staff enter for a package type; ``tiers`` as (month, value) pairs."""

    name: str
    unit_plural: str
    units: Any
    validity_months: Any
    renewal_months: Any = 0
    unit_singular: str = ""
    cumulative: bool = True
    description: str = ""
    price: Any = ZERO
    tax_rate: Any = ZERO
    overage: str = PackageType.Overage.BLOCK
    low_balance_threshold: Any = 0
    discount_kind: str = PackageType.DiscountKind.PERCENT
    after_last_tier: str = PackageType.AfterLastTier.KEEP
    active: bool = True
    tiers: list[tuple[Any, Any]] = field(default_factory=list)


def _choice(value: str, choices: type[Any], *, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(field_errors={field: [_("Choose one of the options.")]})
    return value


def _type_checked(data: TypeInput, *, instance: PackageType | None) -> dict[str, Any]:
    """The fields of a valid package type, or a ValidationError naming every field that
    is wrong."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def check(name: str, run: Any) -> None:
        try:
            values[name] = run()
        except ValidationError as error:
            errors.update(error.field_errors)

    name = data.name.strip()
    if not name:
        errors["name"] = [_("Give the package a name.")]
    else:
        same_name = PackageType.objects.filter(name__iexact=name)
        if instance is not None:
            same_name = same_name.exclude(pk=instance.pk)
        if same_name.exists():
            errors["name"] = [_("A package of that name exists.")]
    values["name"] = name
    plural = data.unit_plural.strip()
    if not plural:
        errors["unit_plural"] = [_("Name the unit, such as tickets or interventions.")]
    values["unit_plural"] = plural
    values["unit_singular"] = data.unit_singular.strip() or unit_singular_suggest(plural)
    check("units", lambda: _int(data.units, field="units", minimum=1))
    check(
        "validity_months",
        lambda: _int(data.validity_months, field="validity_months", minimum=1, maximum=MONTHS_MAX),
    )
    check(
        "renewal_months",
        lambda: _int(data.renewal_months, field="renewal_months", minimum=0, maximum=MONTHS_MAX),
    )
    check("price", lambda: _amount(data.price, field="price"))
    check("tax_rate", lambda: _amount(data.tax_rate, field="tax_rate", maximum=Decimal(100)))
    check(
        "low_balance_threshold",
        lambda: _int(data.low_balance_threshold, field="low_balance_threshold", minimum=0),
    )
    check("overage", lambda: _choice(data.overage, PackageType.Overage, field="overage"))
    check(
        "discount_kind",
        lambda: _choice(data.discount_kind, PackageType.DiscountKind, field="discount_kind"),
    )
    check(
        "after_last_tier",
        lambda: _choice(data.after_last_tier, PackageType.AfterLastTier, field="after_last_tier"),
    )
    validity, renewal = values.get("validity_months"), values.get("renewal_months")
    if validity is not None and renewal is not None and renewal > validity:
        errors["renewal_months"] = [
            _("A package cannot renew less often than its units stay valid: at most %(n)d.")
            % {"n": validity}
        ]
    if "price" in values and "discount_kind" in values:
        check("tiers", lambda: _tiers_checked(data.tiers, values["discount_kind"], values["price"]))
    if errors:
        raise ValidationError(field_errors=errors)
    values.update(
        cumulative=bool(data.cumulative),
        description=data.description.strip(),
        active=bool(data.active),
    )
    return values


def _tiers_checked(tiers: list[tuple[Any, Any]], kind: str, price: Decimal) -> list[DiscountTier]:
    checked: list[DiscountTier] = []
    for month, value in tiers:
        month = _int(month, field="tiers", minimum=1, maximum=MONTHS_MAX)
        amount = _amount(value, field="tiers")
        if checked and month <= checked[-1].month:
            raise ValidationError(
                field_errors={
                    "tiers": [_("Enter the months in ascending order, each once (1, 4, 7…).")]
                }
            )
        if amount <= 0:
            raise ValidationError(field_errors={"tiers": [_("Enter a discount above zero.")]})
        if kind == PackageType.DiscountKind.PERCENT and amount > 100:
            raise ValidationError(field_errors={"tiers": [_("A percentage is between 0 and 100.")]})
        if kind == PackageType.DiscountKind.FIXED and amount > price:
            raise ValidationError(
                field_errors={"tiers": [_("A fixed discount cannot exceed the price.")]}
            )
        checked.append(DiscountTier(month=month, value=amount))
    return checked


@transaction.atomic
def package_type_create(*, actor: Any, data: TypeInput, now: datetime) -> PackageType:
    values = _type_checked(data, instance=None)
    tiers = values.pop("tiers", [])
    package_type = PackageType.objects.create(**values, created_at=now)
    for tier in tiers:
        tier.package_type = package_type
    DiscountTier.objects.bulk_create(tiers)
    audit_record(actor=actor, action=audit.TYPE_CREATE, target=package_type, now=now)
    return package_type


@transaction.atomic
def package_type_update(
    *, actor: Any, package_type: PackageType, data: TypeInput, now: datetime
) -> PackageType:
    """Change a type; what it grants from now on changes, batches granted stay as they
    are."""
    locked = PackageType.objects.select_for_update().get(pk=package_type.pk)
    values = _type_checked(data, instance=locked)
    tiers = values.pop("tiers", [])
    changes = {name: str(value) for name, value in values.items() if getattr(locked, name) != value}
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    locked.tiers.all().delete()
    for tier in tiers:
        tier.package_type = locked
    DiscountTier.objects.bulk_create(tiers)
    audit_record(actor=actor, action=audit.TYPE_UPDATE, target=locked, changes=changes, now=now)
    return locked


# The ledger ---------------------------------------------------------------------------


def assignment_payload(assignment: Assignment) -> dict[str, Any]:
    return {
        "assignment_id": assignment.pk,
        "package_type_id": assignment.package_type_id,
        "contact_id": assignment.contact_id,
        "client_id": assignment.contact.client_id,
        "balance": assignment.balance,
    }


class Book:
    """The unit movements of one locked assignment, computed in memory and written by
    ``BookWriter`` in a few statements: a service writes one book, the stock job a
    thousand at a time. ``live`` are the assignment's batches not yet ended."""

    def __init__(self, assignment: Assignment, live: list[Batch], *, actor: Any, now: datetime):
        self.assignment = assignment
        self.live = sorted(live, key=lambda b: (b.expires_on, b.pk or 0))
        self.actor = actor
        self.now = now
        self.entries: list[Entry] = []
        self.changed: list[Batch] = []
        self.grants: list[Grant] = []
        self.batches: list[Batch] = []
        self.announce: list[tuple[Any, dict[str, Any]]] = []

    def _entry(self, kind: str, units: int, **extra: Any) -> Entry:
        self.assignment.balance += units
        entry = Entry(
            assignment=self.assignment,
            kind=kind,
            units=units,
            balance_after=self.assignment.balance,
            actor=self.actor,
            created_at=self.now,
            **extra,
        )
        self.entries.append(entry)
        return entry

    def end(self, batch: Batch, *, on: date, reason: str) -> None:
        """Expire what ``batch`` has left (on its expiry, or when a renewal ends it)."""
        lost = batch.remaining
        batch.remaining, batch.ended_on = 0, on
        self.live.remove(batch)
        self.changed.append(batch)
        if lost:
            self._entry(Entry.Kind.EXPIRE, -lost, batch=batch, reason=reason)
            self.announce.append(
                (
                    events.PACKAGE_UNITS_EXPIRED,
                    {**assignment_payload(self.assignment), "units": lost},
                )
            )

    def expire_until(self, day: date) -> None:
        """End every live batch expiring on or before ``day``."""
        for batch in [b for b in self.live if b.expires_on <= day]:
            self.end(batch, on=batch.expires_on, reason=_("Validity ended"))

    def grant(self, grant: Grant, *, units: int, validity: int, cumulative: bool) -> Batch:
        """Give ``grant``'s units in a batch expiring ``validity`` months after its date;
        a negative balance (overage) is taken from them first."""
        if not cumulative:
            for batch in list(self.live):
                self.end(batch, on=grant.due_on, reason=_("Ended by a non-cumulative renewal"))
        owed = min(max(-self.assignment.balance, 0), units)
        batch = Batch(
            assignment=self.assignment,
            grant=grant,
            units=units,
            remaining=units - owed,
            granted_on=grant.due_on,
            expires_on=months_after(grant.due_on, validity, anchor_day=grant.due_on.day),
        )
        self.batches.append(batch)
        self.live.append(batch)
        self.live.sort(key=lambda b: (b.expires_on, b.pk or 0))
        reason = _("Start of the package") if grant.period == 0 else _("Renewal")
        self._entry(Entry.Kind.GRANT, units, batch=batch, reason=reason)
        if self.assignment.balance > self.assignment.package_type.low_balance_threshold:
            self.assignment.low_balance_alerted = False
        self.announce.append(
            (
                events.PACKAGE_UNITS_GRANTED,
                {
                    **assignment_payload(self.assignment),
                    "units": units,
                    "expires_on": batch.expires_on.isoformat(),
                },
            )
        )
        return batch

    def catch_up(self, day: date, *, tiers: list[DiscountTier]) -> None:
        """Bring the assignment up to ``day`` in date order: the batches that expire and
        the periods that fall due, an expiry before a grant of the same day."""
        assignment = self.assignment
        while assignment.next_renewal_on is not None and assignment.next_renewal_on <= day:
            due = assignment.next_renewal_on
            self.expire_until(due)
            self._period(due, tiers)
            assignment.next_period += 1
            assignment.next_renewal_on = (
                period_due_on(assignment, assignment.next_period)
                if assignment.package_type.renewal_months
                else None
            )
        self.expire_until(day)

    def _period(self, due: date, tiers: list[DiscountTier]) -> None:
        assignment, package_type = self.assignment, self.assignment.package_type
        month = subscription_month_on(assignment, due)
        discount = discount_for(package_type, tiers, month)
        grant = Grant(
            assignment=assignment,
            period=assignment.next_period,
            due_on=due,
            status=Grant.Status.GRANTED,
            subscription_month=month,
            price=package_type.price,
            discount=discount.amount,
            discount_label=discount.label,
            created_at=self.now,
        )
        if package_type.price - discount.amount > 0 and billing_available():
            self._bill(grant, discount)
            return
        self.grants.append(grant)
        self.grant_units(grant)

    def grant_units(self, grant: Grant) -> Batch:
        package_type = self.assignment.package_type
        return self.grant(
            grant,
            units=package_type.units,
            validity=package_type.validity_months,
            cumulative=package_type.cumulative,
        )

    def _bill(self, grant: Grant, discount: Discount) -> None:
        """Issue the invoice of ``grant``, whose units wait for its payment."""
        assignment, package_type = self.assignment, self.assignment.package_type
        grant.status = Grant.Status.AWAITING_PAYMENT
        grant.save()
        description = _("%(package)s: %(units)d %(label)s from %(start)s") % {
            "package": package_type.name,
            "units": package_type.units,
            "label": package_type.unit_plural,
            "start": grant.due_on.isoformat(),
        }
        if discount.label:
            description = f"{description} ({discount.label})"
        invoice = charge_issue(
            reference=grant.reference,
            client_id=assignment.contact.client_id,
            lines=[
                ChargeLine(
                    description=description,
                    unit_price=package_type.price - discount.amount,
                    tax_rate=package_type.tax_rate,
                )
            ],
            actor=self.actor,
            now=self.now,
        )
        assert invoice is not None  # billing_available() said a biller is registered
        grant.invoice_number, grant.lapses_on = invoice.number, invoice.lapses_on
        if invoice.paid:
            grant.status = Grant.Status.GRANTED
            self.grant_units(grant)
        grant.save(update_fields=["invoice_number", "lapses_on", "status"])


class BookWriter:
    """Writes books: new grants, batches and entries in one insert each, changed batches
    and assignments in one update each, then the events."""

    def __init__(self) -> None:
        self.books: list[Book] = []

    def add(self, book: Book) -> None:
        self.books.append(book)

    def write(self, *, assignment_fields: tuple[str, ...] = ()) -> None:
        Grant.objects.bulk_create([g for book in self.books for g in book.grants])
        Batch.objects.bulk_create([b for book in self.books for b in book.batches])
        Entry.objects.bulk_create([e for book in self.books for e in book.entries])
        changed = [b for book in self.books for b in book.changed if b.pk is not None]
        rows_update(changed, ["remaining", "ended_on"])
        rows_update(
            [book.assignment for book in self.books],
            ["balance", "low_balance_alerted", *assignment_fields],
        )
        for book in self.books:
            for event, payload in book.announce:
                event_emit(event, payload=payload, actor=book.actor, now=book.now)


def book_write(book: Book, *, assignment_fields: tuple[str, ...] = ()) -> None:
    writer = BookWriter()
    writer.add(book)
    writer.write(assignment_fields=assignment_fields)


# Assignments --------------------------------------------------------------------------


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("package_type", "contact")
        .get(pk=assignment.pk)
    )


def _book(assignment: Assignment, *, actor: Any, now: datetime) -> Book:
    """The book of the locked ``assignment``, with its live batches."""
    live = list(Batch.objects.filter(assignment=assignment, ended_on__isnull=True))
    return Book(assignment, live, actor=actor, now=now)


def _tiers(package_type: PackageType) -> list[DiscountTier]:
    return list(package_type.tiers.order_by("month"))


@transaction.atomic
def assignment_create(
    *, actor: Any, contact: Contact, package_type: PackageType, start_on: date, now: datetime
) -> Assignment:
    """Give ``package_type`` to ``contact`` from ``start_on``; a start today or in the
    past grants its first units now (and any renewal since), a later one on the day."""
    if not contact.active:
        raise ValidationError(field_errors={"contact": [_("This contact is no longer active.")]})
    if not package_type.active:
        raise ValidationError(
            field_errors={"package_type": [_("This package can no longer be assigned.")]}
        )
    Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if Assignment.objects.filter(contact=contact, package_type=package_type, active=True):
        raise ValidationError(
            field_errors={"package_type": [_("This contact already has this package.")]}
        )
    assignment = Assignment.objects.create(
        contact=contact,
        package_type=package_type,
        start_on=start_on,
        next_renewal_on=start_on,
        month_advances_on=months_after(start_on, 1, anchor_day=start_on.day),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    audit_record(actor=actor, action=audit.ASSIGN, target=assignment, now=now)
    event_emit(
        events.PACKAGE_ASSIGNED,
        payload={**assignment_payload(assignment), "start_on": start_on.isoformat()},
        actor=actor,
        now=now,
    )
    today = today_of(now)
    if start_on <= today:
        book = Book(assignment, [], actor=actor, now=now)
        book.catch_up(today, tiers=_tiers(package_type))
        month_advance(assignment, today)
        book_write(book, assignment_fields=MOVING_FIELDS)
    return assignment


MOVING_FIELDS = ("next_period", "next_renewal_on", "subscription_month", "month_advances_on")


def month_advance(assignment: Assignment, day: date) -> None:
    month = subscription_month_on(assignment, day)
    assignment.subscription_month = month
    assignment.month_advances_on = month_starts_on(assignment, month + 1)


@transaction.atomic
def assignment_deactivate(*, actor: Any, assignment: Assignment, now: datetime) -> Assignment:
    """End an assignment: it renews and consumes no more; its history stays."""
    locked = _locked(assignment)
    if not locked.active:
        raise Conflict(_("This package is already deactivated."), code="inactive")
    locked.active = False
    locked.deactivated_at = now
    locked.deactivated_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(update_fields=["active", "deactivated_at", "deactivated_by"])
    audit_record(actor=actor, action=audit.DEACTIVATE, target=locked, now=now)
    event_emit(events.PACKAGE_DEACTIVATED, payload=assignment_payload(locked), actor=actor, now=now)
    return locked


def grant_paid(*, reference: str, actor: Any, now: datetime) -> None:
    """The invoice of a grant was paid (``core.charges``): give its units, even when the
    payment comes after the grace period lapsed it."""
    pk = int(reference.rpartition(":")[2])
    grant = Grant.objects.select_related("assignment").filter(pk=pk).first()
    if grant is None:
        return
    locked = _locked(grant.assignment)
    grant = Grant.objects.select_for_update().get(pk=pk)
    if grant.status == Grant.Status.GRANTED or hasattr(grant, "batch"):
        return
    book = _book(locked, actor=actor, now=now)
    grant.status = Grant.Status.GRANTED
    grant.save(update_fields=["status"])
    book.grant_units(grant)
    book.expire_until(today_of(now))
    book_write(book)


# Consuming and adjusting --------------------------------------------------------------


def _units_checked(value: Any, *, field: str = "units") -> int:
    return _int(value, field=field, minimum=1)


def _draw(book: Book, units: int, *, today: date) -> list[tuple[Batch | None, int]]:
    """Where ``units`` come from: the live batches that expire first, then (when the
    policy allows it) the overage; InsufficientUnits when the block policy stops it."""
    usable = [b for b in book.live if b.expires_on > today and b.remaining > 0]
    parts: list[tuple[Batch | None, int]] = []
    left = units
    for batch in usable:
        if not left:
            break
        taken = min(batch.remaining, left)
        parts.append((batch, taken))
        left -= taken
    if left:
        if book.assignment.package_type.overage == PackageType.Overage.BLOCK:
            available = units - left
            raise InsufficientUnits(
                _("Only %(count)d units remain in this package.") % {"count": available},
                field_errors={"units": [_("Only %(count)d remain.") % {"count": available}]},
            )
        parts.append((None, left))
    return parts


def _take(
    book: Book, parts: list[tuple[Batch | None, int]], kind: str, **extra: Any
) -> list[Entry]:
    taken = []
    for batch, units in parts:
        if batch is not None:
            batch.remaining -= units
            book.changed.append(batch)
        taken.append(book._entry(kind, -units, batch=batch, **extra))
    return taken


def _active_book(assignment: Assignment, *, actor: Any, now: datetime) -> Book:
    locked = _locked(assignment)
    if not locked.active:
        raise Conflict(_("This package is deactivated."), code="inactive")
    book = _book(locked, actor=actor, now=now)
    book.expire_until(today_of(now))
    return book


@transaction.atomic
def unit_consume(
    *,
    actor: Any,
    assignment: Assignment,
    units: Any = 1,
    ticket: Ticket | None = None,
    reason: str = "",
    now: datetime,
) -> list[Entry]:
    """Use ``units`` of ``assignment`` (on ``ticket``): a ledger entry per batch drawn
    from, the batch that expires first first."""
    count = _units_checked(units)
    book = _active_book(assignment, actor=actor, now=now)
    if ticket is not None and ticket.contact_id != book.assignment.contact_id:
        raise ValidationError(field_errors={"ticket": [_("This ticket is not this contact's.")]})
    parts = _draw(book, count, today=today_of(now))
    taken = _take(
        book,
        parts,
        Entry.Kind.CONSUME,
        ticket=ticket,
        reason=reason.strip()[:300],
    )
    book.announce.append(
        (
            events.PACKAGE_UNITS_CONSUMED,
            {
                **assignment_payload(book.assignment),
                "units": count,
                "ticket_id": ticket.pk if ticket else None,
            },
        )
    )
    book_write(book)
    if ticket is not None:
        Shortfall.objects.filter(ticket=ticket, resolved_at__isnull=True).update(resolved_at=now)
    return taken


def _reason_checked(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(field_errors={"reason": [_("Say why.")]})
    return reason[:300]


@transaction.atomic
def unit_adjust(
    *, actor: Any, assignment: Assignment, units: Any, reason: str, now: datetime
) -> list[Entry]:
    """Add (a batch valid for the package's validity from today, an overage paid off
    first) or remove units by hand, with a reason."""
    try:
        change = int(units)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(field_errors={"units": [_("Enter a whole number.")]}) from None
    errors = {}
    if abs(change) > UNITS_MAX:
        errors["units"] = [_("Enter at most %(maximum)s.") % {"maximum": UNITS_MAX}]
    elif change == 0:
        errors["units"] = [_("Enter a number of units to add (5) or remove (-5).")]
    if not reason.strip():
        errors["reason"] = [_("Say why.")]
    if errors:
        raise ValidationError(field_errors=errors)
    reason = _reason_checked(reason)
    book = _active_book(assignment, actor=actor, now=now)
    today = today_of(now)
    if change > 0:
        taken = [_add(book, change, reason=reason, today=today)]
    else:
        usable = sum(b.remaining for b in book.live if b.expires_on > today)
        if -change > usable:
            raise ValidationError(
                field_errors={"units": [_("Only %(count)d remain.") % {"count": usable}]}
            )
        taken = _take(book, _draw(book, -change, today=today), Entry.Kind.ADJUST, reason=reason)
    book.announce.append(
        (events.PACKAGE_UNITS_ADJUSTED, {**assignment_payload(book.assignment), "units": change})
    )
    book_write(book)
    audit_record(
        actor=actor,
        action=audit.ADJUST,
        target=book.assignment,
        changes={"units": change, "reason": reason},
        now=now,
    )
    return taken


def _add(book: Book, units: int, *, reason: str, today: date) -> Entry:
    owed = min(max(-book.assignment.balance, 0), units)
    validity = book.assignment.package_type.validity_months
    batch = Batch(
        assignment=book.assignment,
        units=units,
        remaining=units - owed,
        granted_on=today,
        expires_on=months_after(today, validity, anchor_day=today.day),
    )
    book.batches.append(batch)
    book.live.append(batch)
    if book.assignment.balance + units > book.assignment.package_type.low_balance_threshold:
        book.assignment.low_balance_alerted = False
    return book._entry(Entry.Kind.ADJUST, units, batch=batch, reason=reason)


@transaction.atomic
def entry_reverse(*, actor: Any, entry: Entry, reason: str, now: datetime) -> Entry:
    """Give back the units of a consumption, with a new entry: to its batch while that
    is still valid, or to the overage it came from."""
    reason = _reason_checked(reason)
    book = _active_book(entry.assignment, actor=actor, now=now)
    entry = Entry.objects.select_related("batch").get(pk=entry.pk)
    if entry.kind != Entry.Kind.CONSUME:
        raise Conflict(_("Only a consumption can be reversed."), code="not_reversible")
    if Entry.objects.filter(reverses=entry).exists():
        raise Conflict(_("This consumption is reversed already."), code="already_reversed")
    batch = next((b for b in book.live if b.pk == entry.batch_id), None)
    if entry.batch_id is not None and batch is None:
        raise Conflict(
            _("The units of this consumption have expired; add units by hand instead."),
            code="batch_expired",
        )
    if batch is not None:
        batch.remaining -= entry.units
        book.changed.append(batch)
    reversal = book._entry(
        Entry.Kind.REVERSE,
        -entry.units,
        batch=batch,
        reverses=entry,
        ticket=entry.ticket,
        reason=reason,
    )
    book.announce.append(
        (
            events.PACKAGE_UNITS_ADJUSTED,
            {**assignment_payload(book.assignment), "units": -entry.units},
        )
    )
    book_write(book)
    audit_record(
        actor=actor,
        action=audit.REVERSE,
        target=book.assignment,
        changes={"entry": entry.pk},
        now=now,
    )
    return reversal


# Tickets ------------------------------------------------------------------------------


def assignment_for_ticket(contact_id: int) -> Assignment | None:
    """The assignment a contact's ticket draws from: the active one whose units expire
    first, else the oldest active one."""
    active = Assignment.objects.filter(contact_id=contact_id, active=True)
    live = active.filter(batches__ended_on__isnull=True, batches__remaining__gt=0)
    first = live.order_by("batches__expires_on", "pk").first()
    return first or active.order_by("pk").first()


@transaction.atomic
def ticket_consume_on_open(*, ticket: Ticket, now: datetime) -> None:
    """What the auto-consume setting does when a contact opens a ticket from the portal
    or the widget: one unit, or, when the block policy refuses it, the ticket flagged."""
    if ticket.contact_id is None:
        return
    assignment = assignment_for_ticket(ticket.contact_id)
    if assignment is None or Entry.objects.filter(ticket=ticket).exists():
        return
    try:
        with transaction.atomic():
            unit_consume(
                actor=None,
                assignment=assignment,
                units=1,
                ticket=ticket,
                reason=_("Ticket opened"),
                now=now,
            )
    except InsufficientUnits:
        created = Shortfall.objects.get_or_create(
            ticket=ticket, defaults={"assignment": assignment, "created_at": now}
        )[1]
        if created:
            event_emit(
                events.PACKAGE_SHORTFALL,
                payload={**assignment_payload(assignment), "ticket_id": ticket.pk},
                actor=None,
                now=now,
            )


@transaction.atomic
def shortfall_dismiss(*, actor: Any, shortfall: Shortfall, now: datetime) -> Shortfall:
    """Staff decided on a flagged ticket without consuming units for it."""
    locked = Shortfall.objects.select_for_update().get(pk=shortfall.pk)
    if locked.resolved_at is None:
        locked.resolved_at = now
        locked.save(update_fields=["resolved_at"])
        audit_record(actor=actor, action=audit.SHORTFALL_DISMISS, target=locked, now=now)
    return locked
