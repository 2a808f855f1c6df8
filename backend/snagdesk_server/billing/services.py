"""Billing's writes: products, delivering and importing services, their state machine
and provisioning, renewal invoices, payments and the wallet, and the automation that
invoices, suspends and expires services on their own.

Every function is atomic and takes ``actor`` (None: the system) and ``now``. A row that
two writers may race for (the service, the invoice, the wallet) is locked first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.billing import audit, events, tasks
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import (
    CYCLE_MONTHS,
    ZERO,
    BillingProfile,
    CreditNote,
    Cycle,
    Invoice,
    InvoiceLine,
    Product,
    ProductGroup,
    Service,
    Wallet,
    WalletEntry,
)
from snagdesk_server.billing.provisioning import ProvisioningError, provider_get
from snagdesk_server.billing.selectors import billing_recipients, tax_rate_for, wallet_balance
from snagdesk_server.core.audit import AuditAction
from snagdesk_server.core.charges import ChargeInvoice, ChargeLine, charge_paid
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.mail import mail_after_commit
from snagdesk_server.core.periods import money, months_after
from snagdesk_server.core.services import audit_record, sequence_next

State = Service.State
FINAL = frozenset({State.TERMINATED, State.EXPIRED, State.REFUNDED, State.CANCELLED})
# Which state each change may start from.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.ONLINE: frozenset({State.PENDING, State.SUSPENDED}),
    State.SUSPENDED: frozenset({State.ONLINE}),
    State.TERMINATED: frozenset({State.PENDING, State.ONLINE, State.SUSPENDED}),
    State.EXPIRED: frozenset({State.SUSPENDED}),
    State.REFUNDED: frozenset({State.ONLINE, State.SUSPENDED}),
    State.CANCELLED: frozenset({State.PENDING}),
}


# Input ---------------------------------------------------------------------------------


def price_checked(value: Any, *, field: str) -> Decimal:
    """``value`` as a price: a positive amount with at most two decimals."""
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite():
        raise ValidationError(field_errors={field: [_("Enter an amount, such as 4.99.")]})
    if price <= 0:
        raise ValidationError(field_errors={field: [_("Enter an amount above zero.")]})
    if price != price.quantize(Decimal("0.01")):
        raise ValidationError(field_errors={field: [_("Enter at most two decimals.")]})
    return price.quantize(Decimal("0.01"))


def _cycle_checked(cycle: str) -> Cycle:
    if cycle not in Cycle.values:
        raise ValidationError(
            field_errors={"cycle": [_("Choose monthly, quarterly, semi-annual or annual.")]}
        )
    return Cycle(cycle)


def _today(now: datetime) -> date:
    return timezone.localdate(now)


# Products ------------------------------------------------------------------------------


@transaction.atomic
def product_group_create(
    *, actor: Any, name: str, allows_upgrades: bool = False, now: datetime
) -> ProductGroup:
    name = name.strip()
    if not name:
        raise ValidationError(field_errors={"name": [_("Give the group a name.")]})
    if ProductGroup.objects.filter(name__iexact=name).exists():
        raise ValidationError(field_errors={"name": [_("A group of that name exists.")]})
    group = ProductGroup.objects.create(name=name, allows_upgrades=allows_upgrades)
    audit_record(actor=actor, action=audit.GROUP_CREATE, target=group, now=now)
    return group


@transaction.atomic
def product_create(
    *,
    actor: Any,
    group: ProductGroup,
    name: str,
    monthly_price: Any,
    tax_rate: Any = ZERO,
    provider: str = "manual",
    now: datetime,
) -> Product:
    name = name.strip()
    if not name:
        raise ValidationError(field_errors={"name": [_("Give the product a name.")]})
    if Product.objects.filter(group=group, name=name).exists():
        raise ValidationError(
            field_errors={"name": [_("This group already has a product of that name.")]}
        )
    provider_get(provider)
    product = Product.objects.create(
        group=group,
        name=name,
        monthly_price=price_checked(monthly_price, field="monthly_price"),
        tax_rate=_tax_rate_checked(tax_rate),
        provider=provider,
    )
    audit_record(actor=actor, action=audit.PRODUCT_CREATE, target=product, now=now)
    return product


def _tax_rate_checked(value: Any) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not ZERO <= rate < 100:
        raise ValidationError(field_errors={"tax_rate": [_("Enter a rate from 0 to 99.99.")]})
    if rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(field_errors={"tax_rate": [_("Enter at most two decimals.")]})
    return rate.quantize(Decimal("0.01"))


# Billing profiles ----------------------------------------------------------------------


@transaction.atomic
def billing_profile_update(
    *,
    actor: Any,
    client: Client,
    billing_contact: Contact | None,
    tax_rate: Any,
    now: datetime,
) -> BillingProfile:
    """Who receives ``client``'s invoices (None: its primary contacts), and the tax rate
    that replaces its products' own on the invoices issued from now on (empty: none)."""
    if billing_contact is not None and (
        billing_contact.client_id != client.pk or not billing_contact.active
    ):
        raise ValidationError(
            field_errors={"billing_contact": [_("Choose an active contact of this client.")]}
        )
    rate = None if tax_rate in (None, "") else _tax_rate_checked(tax_rate)
    profile, _created = BillingProfile.objects.select_for_update().get_or_create(client=client)
    changes = {
        field: [str(old), str(new)]
        for field, old, new in (
            ("billing_contact", profile.billing_contact_id, getattr(billing_contact, "pk", None)),
            ("tax_rate", profile.tax_rate, rate),
        )
        if old != new
    }
    profile.billing_contact = billing_contact
    profile.tax_rate = rate
    profile.save()
    if changes:
        audit_record(
            actor=actor, action=audit.PROFILE_UPDATE, target=profile, changes=changes, now=now
        )
    return profile


# Services ------------------------------------------------------------------------------


def _service_payload(service: Service) -> dict[str, Any]:
    return {
        "service_id": service.pk,
        "client_id": service.client_id,
        "product_id": service.product_id,
        "state": service.state,
        "expires_on": service.expires_on.isoformat(),
    }


def _service_new(
    *,
    client: Client,
    product: Product,
    cycle: str,
    name: str,
    monthly_price: Any,
    expires_on: date | None,
    max_renewals: int,
    wallet_auto_renew: bool,
    comment: str,
    now: datetime,
) -> Service:
    cycle = _cycle_checked(cycle)
    if max_renewals < 0:
        raise ValidationError(field_errors={"max_renewals": [_("Enter 0 (unlimited) or more.")]})
    price = (
        product.monthly_price
        if monthly_price in (None, "")
        else price_checked(monthly_price, field="monthly_price")
    )
    today = _today(now)
    if expires_on is None:
        expires_on = months_after(today, CYCLE_MONTHS[cycle], anchor_day=today.day)
    return Service(
        client=client,
        product=product,
        name=name.strip() or product.name,
        cycle=cycle,
        monthly_price=price,
        expires_on=expires_on,
        anchor_day=expires_on.day,
        max_renewals=max_renewals,
        wallet_auto_renew=wallet_auto_renew,
        comment=comment,
        created_at=now,
        updated_at=now,
    )


def service_deliver(
    *,
    actor: Any,
    client: Client,
    product: Product,
    cycle: str = Cycle.MONTHLY,
    name: str = "",
    monthly_price: Any = None,
    expires_on: date | None = None,
    max_renewals: int = 0,
    wallet_auto_renew: bool = False,
    comment: str = "",
    provisioning_data: dict[str, Any] | None = None,
    now: datetime,
) -> Service:
    """A new service, created where it runs by its product's provider: online when the
    provider succeeds, pending with the provider's error when it fails."""
    service = _service_new(
        client=client,
        product=product,
        cycle=cycle,
        name=name,
        monthly_price=monthly_price,
        expires_on=expires_on,
        max_renewals=max_renewals,
        wallet_auto_renew=wallet_auto_renew,
        comment=comment,
        now=now,
    )
    service.provisioning_data = provisioning_data or {}
    provider = provider_get(product.provider)
    with transaction.atomic():
        service.save()
        audit_record(actor=actor, action=audit.SERVICE_DELIVER, target=service, now=now)
        event_emit(events.SERVICE_CREATED, payload=_service_payload(service), actor=actor, now=now)
    _provision(service, lambda: provider.create(service), State.ONLINE, actor=actor, now=now)
    return service


@transaction.atomic
def service_import(
    *,
    actor: Any,
    client: Client,
    product: Product,
    expires_on: date,
    cycle: str = Cycle.MONTHLY,
    name: str = "",
    monthly_price: Any = None,
    max_renewals: int = 0,
    wallet_auto_renew: bool = False,
    comment: str = "",
    provisioning_data: dict[str, Any] | None = None,
    now: datetime,
) -> Service:
    """A service that already runs, recorded online without provisioning."""
    service = _service_new(
        client=client,
        product=product,
        cycle=cycle,
        name=name,
        monthly_price=monthly_price,
        expires_on=expires_on,
        max_renewals=max_renewals,
        wallet_auto_renew=wallet_auto_renew,
        comment=comment,
        now=now,
    )
    service.state = State.ONLINE
    service.provisioning_data = provisioning_data or {}
    service.save()
    audit_record(actor=actor, action=audit.SERVICE_IMPORT, target=service, now=now)
    event_emit(events.SERVICE_CREATED, payload=_service_payload(service), actor=actor, now=now)
    return service


def _services_locked() -> QuerySet[Service]:
    """Services locked with their product and client rows, read with the client's billing
    profile (which may not exist, so it is joined but not locked)."""
    return Service.objects.select_for_update(of=("self", "product", "client")).select_related(
        "product", "client__billing_profile"
    )


def _locked(service: Service) -> Service:
    return _services_locked().get(pk=service.pk)


_STATE_AUDIT: dict[str, AuditAction] = {
    State.ONLINE: audit.SERVICE_UNSUSPEND,
    State.SUSPENDED: audit.SERVICE_SUSPEND,
    State.EXPIRED: audit.SERVICE_EXPIRE,
    State.REFUNDED: audit.SERVICE_REFUND,
}


def _transition_checked(
    service: Service, state: str, allowed: frozenset[str] | None = None
) -> None:
    if service.state not in (allowed or TRANSITIONS[state]):
        raise Conflict(
            _("A %(state)s service cannot become %(target)s.")
            % {"state": service.get_state_display(), "target": State(state).label},
            code="invalid_transition",
        )


def _failed(
    service: Service, exc: ProvisioningError, *, changes: dict[str, Any], actor: Any, now: datetime
) -> None:
    """Keep the provider's error on ``service`` (shown until a call succeeds), audited."""
    service.provisioning_error = str(exc)
    service.updated_at = now
    service.save(update_fields=["provisioning_error", "updated_at"])
    audit_record(
        actor=actor,
        action=audit.SERVICE_PROVISIONING_FAIL,
        target=service,
        changes={**changes, "error": str(exc)},
        now=now,
    )


def _state_set(
    service: Service, state: str, *, actor: Any, now: datetime, data: Any = None
) -> None:
    """Move the locked ``service`` to ``state`` once its provider did it: saved, audited
    and announced (a delivery is audited as such already)."""
    previous = service.state
    service.state = state
    service.provisioning_error = ""
    if isinstance(data, dict):
        service.provisioning_data = data
    service.updated_at = now
    service.save()
    if previous == State.PENDING:
        return
    audit_record(
        actor=actor,
        action=_STATE_AUDIT.get(state, audit.SERVICE_TERMINATE),
        target=service,
        changes={"state": [previous, state]},
        now=now,
    )
    event_emit(
        events.SERVICE_STATE_CHANGED,
        payload={**_service_payload(service), "previous_state": previous},
        actor=actor,
        now=now,
    )


def _provision(
    service: Service,
    call: Any,
    state: str,
    *,
    actor: Any,
    now: datetime,
    allowed: frozenset[str] | None = None,
) -> Service:
    """Run a provider ``call`` for ``service``, then move it to ``state`` (from a state
    ``TRANSITIONS`` allows, or ``allowed``); on a ``ProvisioningError`` keep its state
    and record the error instead."""
    with transaction.atomic():
        locked = _locked(service)
        _transition_checked(locked, state, allowed)
        try:
            data = call()
        except ProvisioningError as exc:
            _failed(locked, exc, changes={"state": [locked.state, state]}, actor=actor, now=now)
        else:
            _state_set(locked, state, actor=actor, now=now, data=data)
        _copy(locked, service)
        return service


def _copy(source: Service, target: Service) -> None:
    for field in ("state", "provisioning_error", "provisioning_data", "expires_on"):
        setattr(target, field, getattr(source, field))
    target.renewals_done = source.renewals_done
    target.updated_at = source.updated_at


def service_suspend(*, actor: Any, service: Service, now: datetime) -> Service:
    provider = provider_get(service.product.provider)
    return _provision(
        service, lambda: provider.suspend(service), State.SUSPENDED, actor=actor, now=now
    )


def service_unsuspend(*, actor: Any, service: Service, now: datetime) -> Service:
    """A suspended service back online (a pending one is delivered, not unsuspended)."""
    provider = provider_get(service.product.provider)
    return _provision(
        service,
        lambda: provider.unsuspend(service),
        State.ONLINE,
        actor=actor,
        now=now,
        allowed=frozenset({State.SUSPENDED}),
    )


def service_terminate(*, actor: Any, service: Service, now: datetime) -> Service:
    provider = provider_get(service.product.provider)
    return _provision(
        service, lambda: provider.terminate(service), State.TERMINATED, actor=actor, now=now
    )


def _service_expire(service: Service, *, now: datetime) -> Service:
    provider = provider_get(service.product.provider)
    return _provision(
        service, lambda: provider.terminate(service), State.EXPIRED, actor=None, now=now
    )


# Invoices ------------------------------------------------------------------------------


def _invoice_payload(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": invoice.pk,
        "number": invoice.number,
        "client_id": invoice.client_id,
        "service_id": invoice.service_id,
        "total": str(invoice.total),
        "reference": invoice.reference,
    }


def _invoice_issued(invoice: Invoice, *, actor: Any, now: datetime) -> None:
    """Audit and announce a new invoice."""
    audit_record(actor=actor, action=audit.INVOICE_ISSUE, target=invoice, now=now)
    event_emit(events.INVOICE_ISSUED, payload=_invoice_payload(invoice), actor=actor, now=now)


def _invoices_mail(numbers: list[str]) -> None:
    """Have the worker mail the new invoices of these numbers, each with its PDF, once
    the transaction commits. One task takes them all and the worker splits it: the
    hourly job, which issues thousands, queues one message a hundred invoices."""
    if numbers:
        transaction.on_commit(lambda: tasks.invoices_send.delay(numbers))


def _invoice_number(now: datetime) -> str:
    """The next number of the year: the counter is advanced inside the caller's
    transaction and locked until it commits, so a rolled-back invoice leaves no gap."""
    year = _today(now).year
    return f"{year}-{sequence_next(name=f'billing.invoice.{year}'):05d}"


def _period_invoice(service: Service) -> Invoice | None:
    """The renewal invoice of ``service``'s current period (from its expiry), if made."""
    return Invoice.objects.filter(
        service=service, kind=Invoice.Kind.RENEWAL, period_start=service.expires_on
    ).first()


def _renewal_invoice(service: Service, *, actor: Any, now: datetime) -> Invoice:
    """Issue the renewal invoice of the locked ``service``'s current period, which has
    none yet (``_period_invoice``)."""
    period_end = months_after(service.expires_on, service.months, anchor_day=service.anchor_day)
    rate = tax_rate_for(service.client, service.product)
    net = money(service.cycle_price)
    tax = money(net * rate / 100)
    invoice = Invoice.objects.create(
        number=_invoice_number(now),
        client=service.client,
        kind=Invoice.Kind.RENEWAL,
        service=service,
        product=service.product,
        period_start=service.expires_on,
        period_end=period_end,
        net=net,
        tax=tax,
        total=net + tax,
        issued_at=now,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        description=_("%(service)s, %(start)s to %(end)s")
        % {
            "service": service.name,
            "start": service.expires_on.isoformat(),
            "end": period_end.isoformat(),
        },
        quantity=service.months,
        unit_price=service.monthly_price,
        tax_rate=rate,
        net=net,
        tax=tax,
        total=net + tax,
    )
    _invoice_issued(invoice, actor=actor, now=now)
    return invoice


def _charge_invoice(invoice: Invoice) -> ChargeInvoice:
    grace = settings_get(BillingSettings).grace_days
    return ChargeInvoice(
        reference=invoice.reference,
        number=invoice.number,
        total=invoice.total,
        paid=invoice.status == Invoice.Status.PAID,
        lapses_on=_today(invoice.issued_at) + timedelta(days=grace),
    )


@transaction.atomic
def charge_invoice(
    *,
    reference: str,
    client_id: int,
    lines: Sequence[ChargeLine],
    actor: Any,
    now: datetime,
) -> ChargeInvoice:
    """The invoice of another module's charge (``core.charges``): the one issued for
    ``reference`` before, else a new one, mailed to the client like any other."""
    existing = Invoice.objects.filter(reference=reference).first()
    if existing is not None:
        return _charge_invoice(existing)
    client = Client.objects.select_related("billing_profile").get(pk=client_id)
    try:
        override = client.billing_profile.tax_rate
    except BillingProfile.DoesNotExist:
        override = None
    invoice = Invoice(
        number=_invoice_number(now),
        client=client,
        kind=Invoice.Kind.CHARGE,
        reference=reference,
        net=ZERO,
        tax=ZERO,
        total=ZERO,
        issued_at=now,
    )
    rows = []
    for line in lines:
        rate = line.tax_rate if override is None else override
        net = money(line.unit_price * line.quantity)
        tax = money(net * rate / 100)
        invoice.net += net
        invoice.tax += tax
        invoice.total += net + tax
        rows.append(
            InvoiceLine(
                invoice=invoice,
                description=line.description[:300],
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_rate=rate,
                net=net,
                tax=tax,
                total=net + tax,
            )
        )
    invoice.save()
    InvoiceLine.objects.bulk_create(rows)
    _invoice_issued(invoice, actor=actor, now=now)
    _invoices_mail([invoice.number])
    return _charge_invoice(invoice)


def _renewable(service: Service) -> None:
    if service.state in FINAL or service.state == State.PENDING:
        raise Conflict(
            _("A %(state)s service cannot be renewed.") % {"state": service.get_state_display()},
            code="not_renewable",
        )
    if service.max_renewals and service.renewals_done >= service.max_renewals:
        raise Conflict(
            _("This service has had all its %(count)d renewals.") % {"count": service.max_renewals},
            code="renewals_exhausted",
        )


@transaction.atomic
def service_renew(*, actor: Any, service: Service, now: datetime) -> Invoice:
    """The invoice that renews ``service`` for one cycle: the pending one when there is
    one (a second click gets the same invoice), else a new one."""
    locked = _locked(service)
    _renewable(locked)
    invoice = _period_invoice(locked)
    if invoice is None:
        invoice = _renewal_invoice(locked, actor=actor, now=now)
        _invoices_mail([invoice.number])
    return invoice


def _settle(invoice: Invoice, *, method: str, actor: Any, now: datetime, dry: bool = False) -> bool:
    """Mark the locked ``invoice`` paid and extend its service by one cycle from the
    period it renews, bringing a suspended service back online (``dry``: without its
    provider); False when it was paid already."""
    if invoice.status != Invoice.Status.UNPAID:
        return False
    invoice.status = Invoice.Status.PAID
    invoice.paid_at = now
    invoice.save(update_fields=["status", "paid_at"])
    audit_record(
        actor=actor,
        action=audit.INVOICE_PAY,
        target=invoice,
        changes={"method": method},
        now=now,
    )
    event_emit(
        events.INVOICE_PAID,
        payload={**_invoice_payload(invoice), "method": method},
        actor=actor,
        now=now,
    )
    if invoice.reference:
        charge_paid(reference=invoice.reference, actor=actor, now=now)
    if invoice.service is None:
        return True
    service = _locked(invoice.service)
    if invoice.kind == Invoice.Kind.UPGRADE and invoice.upgrade_to is not None:
        _product_change(service, invoice.upgrade_to, actor=actor, now=now, dry=dry)
        return True
    if service.expires_on == invoice.period_start and invoice.period_end is not None:
        service.expires_on = invoice.period_end
        service.renewals_done += 1
        service.updated_at = now
        service.save(update_fields=["expires_on", "renewals_done", "updated_at"])
        event_emit(events.SERVICE_RENEWED, payload=_service_payload(service), actor=actor, now=now)
    if service.state == State.SUSPENDED and service.expires_on > _today(now):
        if dry:
            Service.objects.filter(pk=service.pk).update(state=State.ONLINE)
        else:
            service_unsuspend(actor=actor, service=service, now=now)
    return True


def _invoice_locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def invoice_mark_paid(*, actor: Any, invoice: Invoice, now: datetime) -> Invoice:
    """Staff record a payment received outside Snagdesk (a bank transfer)."""
    locked = _invoice_locked(invoice)
    if not _settle(locked, method="manual", actor=actor, now=now):
        raise Conflict(_("This invoice is not awaiting payment."), code="not_unpaid")
    return locked


@transaction.atomic
def invoice_pay_from_wallet(*, actor: Any, invoice: Invoice, now: datetime) -> Invoice:
    """Pay the whole invoice from its client's wallet, or refuse: never in part."""
    locked = _invoice_locked(invoice)
    if locked.status != Invoice.Status.UNPAID:
        raise Conflict(_("This invoice is not awaiting payment."), code="not_unpaid")
    _wallet_debit(locked, actor=actor, now=now)
    _settle(locked, method="wallet", actor=actor, now=now)
    return locked


@transaction.atomic
def invoice_pay_online(
    *, invoice: Invoice, amount: Decimal, method: str, reference: str, now: datetime
) -> Invoice:
    """Settle ``invoice`` with the ``amount`` a payment provider (``method``) confirmed,
    ``reference`` naming its payment. An invoice paid meanwhile another way (a transfer
    staff marked paid) is not paid twice: the money goes to the client's wallet."""
    locked = _invoice_locked(invoice)
    if not _settle(locked, method=method, actor=None, now=now):
        wallet_top_up(
            actor=None,
            client=locked.client,
            amount=amount,
            reason=_("Paid online (%(reference)s) for %(number)s, which was paid already")
            % {"reference": reference, "number": locked.number},
            method=method,
            now=now,
        )
    return locked


# Changing product, refunding, renaming ---------------------------------------------


def _period_start(service: Service) -> date:
    return months_after(service.expires_on, -service.months, anchor_day=service.anchor_day)


def upgrade_quote(service: Service, product: Product, *, now: datetime) -> Decimal:
    """What moving ``service`` to ``product`` costs for the days left of its period,
    day-exact: the difference of the two cycle prices times the share of the period
    left. Negative for a cheaper product (credited to the wallet)."""
    start, end = _period_start(service), service.expires_on
    days_left = max((end - _today(now)).days, 0)
    period_days = max((end - start).days, 1)
    difference = (product.monthly_price - service.monthly_price) * service.months
    return money(difference * days_left / period_days)


def _product_checked(service: Service, product: Product) -> None:
    if service.state not in (State.ONLINE, State.SUSPENDED):
        raise Conflict(
            _("A %(state)s service cannot change product.")
            % {"state": service.get_state_display()},
            code="not_changeable",
        )
    if product.pk == service.product_id:
        raise ValidationError(field_errors={"product": [_("The service has this product.")]})
    if product.group_id != service.product.group_id or not service.product.group.allows_upgrades:
        raise ValidationError(
            field_errors={"product": [_("Choose a product of the same group, if it allows it.")]}
        )
    if Invoice.objects.filter(service=service, status=Invoice.Status.UNPAID).exists():
        raise Conflict(_("Settle the service's unpaid invoice first."), code="invoice_pending")


def _product_change(
    service: Service, product: Product, *, actor: Any, now: datetime, dry: bool = False
) -> None:
    """Move the locked ``service`` to ``product`` at its price, provider first."""
    if not dry:
        try:
            provider_get(service.product.provider).change_product(service, product)
        except ProvisioningError as exc:
            failed = {"product": [service.product_id, product.pk]}
            _failed(service, exc, changes=failed, actor=actor, now=now)
            return
    changes: dict[str, list[Any]] = {
        "product": [service.product_id, product.pk],
        "monthly_price": [str(service.monthly_price), str(product.monthly_price)],
    }
    service.product = product
    service.monthly_price = product.monthly_price
    service.provisioning_error = ""
    service.updated_at = now
    service.save()
    audit_record(
        actor=actor, action=audit.SERVICE_CHANGE_PRODUCT, target=service, changes=changes, now=now
    )
    event_emit(
        events.SERVICE_PRODUCT_CHANGED, payload=_service_payload(service), actor=actor, now=now
    )


@transaction.atomic
def service_change_product(
    *, actor: Any, service: Service, product: Product, now: datetime
) -> Invoice | None:
    """Upgrade or downgrade within the group. A dearer product is invoiced for the days
    left and taken once that invoice is paid; a cheaper one is taken at once and the
    difference credited to the client's wallet. Returns the upgrade invoice, if any."""
    locked = _locked(service)
    _product_checked(locked, product)
    quote = upgrade_quote(locked, product, now=now)
    if quote <= 0:
        if quote < 0:
            _wallet_credit(
                locked.client,
                -quote,
                kind=WalletEntry.Kind.DOWNGRADE,
                actor=actor,
                reason=locked.name,
                now=now,
            )
        _product_change(locked, product, actor=actor, now=now)
        _copy(locked, service)
        return None
    rate = tax_rate_for(locked.client, product)
    tax = money(quote * rate / 100)
    invoice = Invoice.objects.create(
        number=_invoice_number(now),
        client=locked.client,
        kind=Invoice.Kind.UPGRADE,
        service=locked,
        product=product,
        upgrade_to=product,
        net=quote,
        tax=tax,
        total=quote + tax,
        issued_at=now,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        description=_("%(service)s: from %(old)s to %(new)s until %(end)s")
        % {
            "service": locked.name,
            "old": locked.product.name,
            "new": product.name,
            "end": locked.expires_on.isoformat(),
        },
        unit_price=quote,
        tax_rate=rate,
        net=quote,
        tax=tax,
        total=quote + tax,
    )
    _invoice_issued(invoice, actor=actor, now=now)
    _invoices_mail([invoice.number])
    return invoice


def service_refund(
    *, actor: Any, service: Service, reason: str, to_wallet: bool, now: datetime
) -> CreditNote:
    """Refund the service's last paid invoice with a credit note (to the client's wallet,
    or paid back outside Snagdesk), remove the service where it runs and mark it
    refunded. When the provider fails nothing is refunded, and its error stays on the
    service."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(field_errors={"reason": [_("Say why the service is refunded.")]})
    try:
        with transaction.atomic():
            return _refund(service, reason=reason, to_wallet=to_wallet, actor=actor, now=now)
    except ProvisioningError as exc:
        with transaction.atomic():
            locked = _locked(service)
            changes = {"state": [locked.state, State.REFUNDED]}
            _failed(locked, exc, changes=changes, actor=actor, now=now)
        raise Conflict(str(exc), code="provisioning_failed") from exc


def _refund(
    service: Service, *, reason: str, to_wallet: bool, actor: Any, now: datetime
) -> CreditNote:
    locked = _locked(service)
    _transition_checked(locked, State.REFUNDED)
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .filter(service=locked, status=Invoice.Status.PAID, credit_note__isnull=True)
        .order_by("-paid_at", "-pk")
        .first()
    )
    if invoice is None:
        raise Conflict(_("This service has no paid invoice to refund."), code="nothing_to_refund")
    provider_get(locked.product.provider).terminate(locked)
    _state_set(locked, State.REFUNDED, actor=actor, now=now)
    year = _today(now).year
    note = CreditNote.objects.create(
        number=f"CN-{year}-{sequence_next(name=f'billing.credit_note.{year}'):05d}",
        invoice=invoice,
        total=invoice.total,
        reason=reason,
        to_wallet=to_wallet,
        issued_at=now,
    )
    if to_wallet:
        _wallet_credit(
            locked.client,
            invoice.total,
            kind=WalletEntry.Kind.REFUND,
            actor=actor,
            reason=reason,
            invoice=invoice,
            now=now,
        )
    audit_record(
        actor=actor,
        action=audit.CREDIT_NOTE_ISSUE,
        target=note,
        changes={"invoice": invoice.number, "total": str(note.total), "to_wallet": to_wallet},
        now=now,
    )
    transaction.on_commit(lambda: tasks.credit_note_send.delay(note.pk))
    _copy(locked, service)
    return note


@transaction.atomic
def service_rename(*, actor: Any, service: Service, name: str, now: datetime) -> Service:
    """The name staff and the client know the service by, passed on to its provider."""
    name = name.strip()
    if not name:
        raise ValidationError(field_errors={"name": [_("Give the service a name.")]})
    locked = _locked(service)
    if locked.state in FINAL:
        raise Conflict(
            _("A %(state)s service cannot be renamed.") % {"state": locked.get_state_display()},
            code="final",
        )
    try:
        provider_get(locked.product.provider).rename(locked, name)
    except ProvisioningError as exc:
        raise Conflict(str(exc), code="provisioning_failed") from exc
    changes = {"name": [locked.name, name]}
    locked.name = name
    locked.updated_at = now
    locked.save(update_fields=["name", "updated_at"])
    audit_record(actor=actor, action=audit.SERVICE_RENAME, target=locked, changes=changes, now=now)
    service.name = name
    return locked


# The wallet ----------------------------------------------------------------------------


def _wallet_locked(client_id: int) -> Wallet:
    locked = Wallet.objects.select_for_update().filter(client_id=client_id)
    wallet = locked.first()
    if wallet is None:
        Wallet.objects.get_or_create(client_id=client_id)
        wallet = locked.get()
    return wallet


def _wallet_credit(
    client: Client,
    amount: Decimal,
    *,
    kind: str,
    actor: Any,
    now: datetime,
    reason: str = "",
    invoice: Invoice | None = None,
) -> WalletEntry:
    wallet = _wallet_locked(client.pk)
    wallet.balance += amount
    wallet.save(update_fields=["balance"])
    return WalletEntry.objects.create(
        wallet=wallet,
        kind=kind,
        amount=amount,
        balance_after=wallet.balance,
        invoice=invoice,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        created_at=now,
    )


@transaction.atomic
def wallet_top_up(
    *,
    actor: Any,
    client: Client,
    amount: Any,
    reason: str = "",
    method: str = "manual",
    now: datetime,
) -> WalletEntry:
    """Money the client added to their wallet: recorded by staff (``manual``), or paid
    through a payment provider (its key, ``stripe``)."""
    value = price_checked(amount, field="amount")
    entry = _wallet_credit(
        client, value, kind=WalletEntry.Kind.TOP_UP, actor=actor, reason=reason.strip(), now=now
    )
    audit_record(
        actor=actor,
        action=audit.WALLET_TOP_UP,
        target=entry.wallet,
        changes={"amount": str(value), "method": method},
        now=now,
    )
    event_emit(
        events.WALLET_TOPPED_UP,
        payload={
            "client_id": client.pk,
            "amount": str(value),
            "balance": str(entry.balance_after),
            "method": method,
        },
        actor=actor,
        now=now,
    )
    return entry


def _wallet_debit(invoice: Invoice, *, actor: Any, now: datetime) -> WalletEntry:
    wallet = _wallet_locked(invoice.client_id)
    if wallet.balance < invoice.total:
        raise Conflict(
            _("The wallet holds %(balance)s, less than the %(total)s due.")
            % {"balance": wallet.balance, "total": invoice.total},
            code="insufficient_funds",
        )
    wallet.balance -= invoice.total
    wallet.save(update_fields=["balance"])
    return WalletEntry.objects.create(
        wallet=wallet,
        kind=WalletEntry.Kind.PAYMENT,
        amount=-invoice.total,
        balance_after=wallet.balance,
        invoice=invoice,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )


# Automation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing the automation did (or, in a dry run, would do) to a service."""

    service_id: int
    action: str  # "invoice", "wallet_payment", "suspend", "expire", or one of FAILED_STEPS
    on: str  # the date it is due, ISO 8601
    invoice: str = ""


FAILED_STEPS = frozenset({"suspend_failed", "expire_failed"})


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every change back, with its steps."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps


# Services handled per transaction: a commit each would cost more than the work of most,
# and a hundred row locks are held for well under a second.
_CHUNK = 100
# Repeated at most this many times per service and run: a run that missed months
# catches up one cycle at a time (invoice, payment, new expiry, next invoice…).
_CATCH_UP_LIMIT = 120


def billing_automation(*, now: datetime, dry_run: bool = False) -> list[Step]:
    """Invoice the renewals due within the lead days and pay them from the wallet when
    the flag is on and the balance covers them; suspend, at expiry, what is unpaid (and
    mail the client); expire it after the grace days. Safe to run again or twice at
    once: each service is handled under its row lock, a hundred to a transaction, and
    what is done is not redone. ``dry_run`` lists the steps and changes nothing: they
    are taken in one transaction that is rolled back, without calling any provider."""
    if not dry_run:
        return _automate(now=now, dry=False)
    try:
        with transaction.atomic():
            raise _DryRun(_automate(now=now, dry=True))
    except _DryRun as done:
        return done.steps


def _automate(*, now: datetime, dry: bool) -> list[Step]:
    policy = settings_get(BillingSettings)
    today = _today(now)
    horizon = today + timedelta(days=policy.renewal_lead_days)
    steps: list[Step] = []
    due = _due(today=today, horizon=horizon, grace=policy.grace_days)
    for start in range(0, len(due), _CHUNK):
        with transaction.atomic():
            done: list[Step] = []
            chunk = list(
                _services_locked().filter(pk__in=due[start : start + _CHUNK]).order_by("pk")
            )
            invoices = _period_invoices(chunk)
            for service in chunk:
                invoice = invoices.get((service.pk, service.expires_on))
                done += _service_automate(
                    service, invoice, today=today, policy=policy, now=now, dry=dry
                )
            _invoices_mail([step.invoice for step in done if step.action == "invoice"])
        steps += done
    return steps


def _due(*, today: date, horizon: date, grace: int) -> list[int]:
    """The services ``_next_step`` has something to do for, found in one query so a run
    does not visit the many that wait (invoiced and unpaid, within their lead days): no
    renewal invoice yet for the period (and renewals left), an unpaid one the wallet
    may pay (the balance covers it), unpaid at expiry, or unpaid past the grace days."""
    period = Invoice.objects.filter(
        service=OuterRef("pk"), kind=Invoice.Kind.RENEWAL, period_start=OuterRef("expires_on")
    )
    renewable = Q(max_renewals=0) | Q(renewals_done__lt=F("max_renewals"))
    unpaid = ~Exists(period.filter(status=Invoice.Status.PAID))
    due = Service.objects.filter(
        state__in=[State.ONLINE, State.SUSPENDED], expires_on__lte=horizon
    ).filter(
        (~Exists(period) & renewable)
        | (
            Q(wallet_auto_renew=True)
            & Exists(
                period.filter(
                    status=Invoice.Status.UNPAID, total__lte=OuterRef("client__wallet__balance")
                )
            )
        )
        | (Q(state=State.ONLINE, expires_on__lte=today) & unpaid)
        | (Q(state=State.SUSPENDED, expires_on__lte=today - timedelta(days=grace)) & unpaid)
    )
    return list(due.order_by("pk").values_list("pk", flat=True))


def _period_invoices(services: list[Service]) -> dict[tuple[int | None, date | None], Invoice]:
    """The renewal invoices of the current periods of ``services``, by service and
    period, read in one query (``_period_invoice`` for a chunk)."""
    found = Invoice.objects.filter(
        kind=Invoice.Kind.RENEWAL,
        service__in=services,
        period_start__in={service.expires_on for service in services},
    )
    return {(invoice.service_id, invoice.period_start): invoice for invoice in found}


def _service_automate(
    service: Service,
    invoice: Invoice | None,
    *,
    today: date,
    policy: BillingSettings,
    now: datetime,
    dry: bool,
) -> list[Step]:
    """The steps of one service locked by the caller's transaction, with the renewal
    invoice of its current period (None: not issued yet)."""
    steps: list[Step] = []
    period = service.expires_on
    for _round in range(_CATCH_UP_LIMIT):
        if service.expires_on != period:
            period, invoice = service.expires_on, _period_invoice(service)
        step, invoice = _next_step(service, invoice, today=today, policy=policy, now=now, dry=dry)
        if step is None:
            break
        steps.append(step)
        if step.action in FAILED_STEPS:
            # Its provider refused: the error is on the service, the next run tries again.
            break
    return steps


def _next_step(
    service: Service,
    invoice: Invoice | None,
    *,
    today: date,
    policy: BillingSettings,
    now: datetime,
    dry: bool,
) -> tuple[Step | None, Invoice | None]:
    """Do the first thing ``service`` is due for, given the renewal invoice of its
    period; say what it was (None: nothing), with that invoice as it is now."""
    if service.state not in (State.ONLINE, State.SUSPENDED):
        return None, invoice
    expiry = service.expires_on
    renewable = not (service.max_renewals and service.renewals_done >= service.max_renewals)
    invoice_day = expiry - timedelta(days=policy.renewal_lead_days)
    if invoice is None and renewable and today >= invoice_day:
        invoice = _renewal_invoice(service, actor=None, now=now)
        return Step(service.pk, "invoice", invoice_day.isoformat(), invoice.number), invoice
    if (
        invoice is not None
        and invoice.status == Invoice.Status.UNPAID
        and service.wallet_auto_renew
        and wallet_balance(service.client_id) >= invoice.total
    ):
        locked = _invoice_locked(invoice)
        _wallet_debit(locked, actor=None, now=now)
        _settle(locked, method="wallet", actor=None, now=now, dry=dry)
        service.refresh_from_db()
        return Step(service.pk, "wallet_payment", invoice_day.isoformat(), locked.number), locked
    paid = invoice is not None and invoice.status == Invoice.Status.PAID
    if paid:
        return None, invoice
    number = invoice.number if invoice else ""
    if service.state == State.ONLINE and today >= expiry:
        if dry:
            service.state = State.SUSPENDED
        else:
            service_suspend(actor=None, service=service, now=now)
            if service.state != State.SUSPENDED:
                return Step(service.pk, "suspend_failed", expiry.isoformat(), number), invoice
            _mail_suspended(service, invoice, currency=policy.currency)
        return Step(service.pk, "suspend", expiry.isoformat(), number), invoice
    expiry_day = expiry + timedelta(days=policy.grace_days)
    if service.state == State.SUSPENDED and today >= expiry_day:
        if dry:
            service.state = State.EXPIRED
        else:
            _service_expire(service, now=now)
            if service.state != State.EXPIRED:
                return Step(service.pk, "expire_failed", expiry_day.isoformat(), number), invoice
        return Step(service.pk, "expire", expiry_day.isoformat(), number), invoice
    return None, invoice


def _mail_suspended(service: Service, invoice: Invoice | None, *, currency: str) -> None:
    """Tell the client's billing contact, in their language."""
    mail_after_commit(
        to=billing_recipients(service.client_id),
        template="billing/email/service_suspended",
        context={"service": service, "invoice": invoice, "currency": currency},
    )
