"""The payment-provider interface: how a client pays an invoice or tops up their wallet.

``manual`` is the bank transfer: there is no checkout, staff mark the invoice paid
(``services.invoice_mark_paid``) or record the top-up. ``stripe`` is Stripe Checkout:
``checkout_invoice`` and ``checkout_top_up`` open a checkout session and send the payer
to Stripe's page; only the provider's signed notification (``webhook_handle``) marks
anything paid, once per notification and once per checkout, whatever is delivered twice.
Other providers register with ``payment_provider_register``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeGuard

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import Client
from snagdesk_server.billing import audit, services
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import Checkout, Invoice, PaymentEvent
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import Conflict, DomainError, NotFound, ValidationError
from snagdesk_server.core.services import audit_record

logger = logging.getLogger(__name__)

# The most a client may add to their wallet at once, in the billing currency.
TOP_UP_MAX = Decimal("10000.00")
# A checkout session lives this long at the provider; an open one is offered again to a
# second click while at least half of that is left to pay in.
CHECKOUT_LIFETIME = timedelta(hours=1)
REUSE_WITHIN = CHECKOUT_LIFETIME / 2

PAID = "paid"
FAILED = "failed"


class PaymentUnavailable(DomainError):
    code = "payment_provider_unavailable"
    status = 502
    default_message = _("The payment provider could not be reached. Try again in a moment.")


@dataclass(frozen=True)
class Session:
    """A checkout session the provider opened: its id, and the page the payer goes to."""

    id: str
    url: str


@dataclass(frozen=True)
class Notification:
    """A provider's notification, verified, in this module's terms: which checkout
    session it is about (if any), and whether it was paid (``PAID``, with the amount
    and currency charged) or will not be (``FAILED``: expired, or its payment failed).
    Any other notification has no ``outcome`` and is only recorded."""

    event_id: str
    type: str
    session_id: str = ""
    outcome: str = ""
    amount: Decimal | None = None
    currency: str = ""


class PaymentProvider:
    """A way to pay. An ``online`` provider opens checkout sessions and verifies the
    notifications it sends; the others (a bank transfer) have staff record the payment."""

    key = ""
    label: Any = ""
    online = False

    def configured(self) -> bool:
        return True

    def session_create(
        self, checkout: Checkout, *, description: str, return_url: str, cancel_url: str
    ) -> Session:
        """Open a session at the provider for the unsaved ``checkout``; the payer comes
        back to ``return_url`` once they paid (with ``?session_id=`` and the session's
        id), to ``cancel_url`` when they give up."""
        raise Conflict(gettext("This payment method has no online checkout."), code="offline")

    def notification_parse(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """The notification in ``body``, once its signature is verified; a
        ``ValidationError`` when it is not signed by the provider or is malformed."""
        raise NotFound(gettext("This payment method sends no notifications."))


class ManualProvider(PaymentProvider):
    key = "manual"
    label = _("Bank transfer (staff mark the invoice paid)")


# Stripe counts these currencies in whole units, and these in thousandths
# (https://docs.stripe.com/currencies#zero-decimal); the others in cents.
_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# Stripe's most for one payment: eight digits of the smallest unit.
_STRIPE_MAX_UNITS = 99_999_999
_STRIPE_TIMEOUT_SECONDS = 15


def _exponent(currency: str) -> int:
    return 0 if currency in _ZERO_DECIMAL else 3 if currency in _THREE_DECIMAL else 2


def _minor_units(amount: Decimal, currency: str) -> int:
    """``amount`` in ``currency``'s smallest unit, as Stripe counts it."""
    units = amount.scaleb(_exponent(currency))
    if units != units.to_integral_value():
        raise ValidationError(
            field_errors={
                "amount": [
                    gettext("Enter a whole amount: %(currency)s has no cents.")
                    % {"currency": currency}
                ]
            }
        )
    if units > _STRIPE_MAX_UNITS:
        raise ValidationError(
            field_errors={"amount": [gettext("This amount is too large to pay online.")]}
        )
    return int(units)


class StripeProvider(PaymentProvider):
    """Stripe Checkout, with the keys from the environment (``STRIPE_SECRET_KEY``,
    ``STRIPE_WEBHOOK_SECRET``; ``STRIPE_API_BASE`` for another address of its API)."""

    key = "stripe"
    label = _("Stripe (card and the other methods of the Stripe account)")
    online = True

    def configured(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)

    def _client(self) -> stripe.StripeClient:
        base = settings.STRIPE_API_BASE
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": base} if base else None,
            http_client=stripe.RequestsClient(timeout=_STRIPE_TIMEOUT_SECONDS),
            max_network_retries=1,
        )

    def session_create(
        self, checkout: Checkout, *, description: str, return_url: str, cancel_url: str
    ) -> Session:
        metadata = {"purpose": checkout.purpose, "client_id": str(checkout.client_id)}
        if checkout.invoice is not None:
            metadata["invoice"] = checkout.invoice.number
        price = {
            "currency": checkout.currency.lower(),
            "unit_amount": _minor_units(checkout.amount, checkout.currency),
            "product_data": {"name": description},
        }
        params: Any = {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": price}],
            # Stripe fills in the session's id.
            "success_url": return_url + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": cancel_url,
            "client_reference_id": str(checkout.client_id),
            "metadata": metadata,
            "payment_intent_data": {"description": description, "metadata": metadata},
            "expires_at": int((checkout.created_at + CHECKOUT_LIFETIME).timestamp()),
        }
        try:
            session = self._client().v1.checkout.sessions.create(params=params)
        except stripe.StripeError as exc:
            logger.warning("Stripe refused a checkout session: %s", exc)
            raise PaymentUnavailable() from exc
        if not session.id or not session.url:
            raise PaymentUnavailable()
        return Session(id=session.id, url=session.url)

    def notification_parse(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
            ).to_dict()
        # ValueError: not JSON (or not UTF-8); AttributeError: signed JSON, not an object.
        except (stripe.SignatureVerificationError, ValueError, AttributeError) as exc:
            raise _invalid(str(exc)) from exc
        event_id, kind = event.get("id"), event.get("type")
        data = event.get("data")
        found = data.get("object") if isinstance(data, dict) else None
        if not _text(event_id) or not _text(kind) or not isinstance(found, dict):
            raise _invalid("no id, type or data.object")
        if not kind.startswith("checkout.session.") or found.get("object") != "checkout.session":
            return Notification(event_id=event_id, type=kind)
        return _session_notification(event_id, kind, found)


def _text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= 255


def _invalid(reason: str) -> ValidationError:
    logger.info("Refused a payment notification: %s", reason)
    return ValidationError(
        gettext("The notification is not signed by the payment provider, or is malformed."),
        code="invalid_notification",
    )


def _session_notification(event_id: str, kind: str, session: dict[str, Any]) -> Notification:
    """A ``checkout.session.*`` event: paid once completed with its money in (at once,
    or later for a delayed method such as a bank debit), failed once expired or its
    delayed payment failed."""
    session_id = session.get("id")
    if not _text(session_id):
        raise _invalid("a checkout session without an id")
    paid = kind == "checkout.session.async_payment_succeeded" or (
        kind == "checkout.session.completed" and session.get("payment_status") == "paid"
    )
    failed = kind in ("checkout.session.expired", "checkout.session.async_payment_failed")
    if not paid:
        outcome = FAILED if failed else ""
        return Notification(event_id=event_id, type=kind, session_id=session_id, outcome=outcome)
    total, currency = session.get("amount_total"), session.get("currency")
    if not isinstance(total, int) or isinstance(total, bool) or not isinstance(currency, str):
        raise _invalid("a paid checkout session without amount_total or currency")
    currency = currency.upper()
    return Notification(
        event_id=event_id,
        type=kind,
        session_id=session_id,
        outcome=PAID,
        amount=Decimal(total).scaleb(-_exponent(currency)).quantize(Decimal("0.01")),
        currency=currency,
    )


_providers: dict[str, PaymentProvider] = {}


def payment_provider_register(provider: PaymentProvider) -> PaymentProvider:
    _providers[provider.key] = provider
    return provider


def payment_provider_get(key: str) -> PaymentProvider:
    try:
        return _providers[key]
    except KeyError:
        raise NotFound(gettext("No such payment method.")) from None


def payment_provider_online() -> PaymentProvider | None:
    """The online provider clients pay through, if one is configured."""
    return next((p for p in _providers.values() if p.online and p.configured()), None)


payment_provider_register(ManualProvider())
payment_provider_register(StripeProvider())


# Starting a payment -------------------------------------------------------------------


def _online_checked() -> PaymentProvider:
    provider = payment_provider_online()
    if provider is None:
        raise Conflict(
            gettext("Online payment is not set up: pay by bank transfer."),
            code="online_payment_off",
        )
    return provider


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _checkout_open(
    provider: PaymentProvider, checkout: Checkout, *, description: str, cancel_path: str
) -> Checkout:
    """Open ``checkout``'s session at ``provider``, then keep it, audited. The payer comes
    back to the portal: to the page that says the payment is being confirmed, or to
    ``cancel_path`` when they give up."""
    done = reverse("portal:checkout_return", args=[provider.key])
    session = provider.session_create(
        checkout,
        description=description,
        return_url=_absolute(done),
        cancel_url=_absolute(cancel_path),
    )
    checkout.session_id, checkout.url = session.id, session.url
    checkout.save()
    audit_record(
        actor=checkout.created_by,
        action=audit.CHECKOUT_START,
        target=checkout,
        changes={"purpose": checkout.purpose, "amount": str(checkout.amount)},
        now=checkout.created_at,
    )
    return checkout


def webhook_url(provider: PaymentProvider) -> str:
    """The address to register at ``provider`` for its notifications."""
    return _absolute(reverse("billing_public:webhook", args=[provider.key]))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def checkout_invoice(*, actor: Any, invoice: Invoice, now: datetime) -> Checkout:
    """A checkout that pays ``invoice`` whole online: the open one a moment ago gave
    (a second click must not make a second payment), else a new one. The invoice stays
    locked meanwhile, so two clicks at once get one checkout."""
    provider = _online_checked()
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status != Invoice.Status.UNPAID:
        raise Conflict(gettext("This invoice is not awaiting payment."), code="not_unpaid")
    currency = settings_get(BillingSettings).currency
    reused = Checkout.objects.filter(
        provider=provider.key,
        invoice=locked,
        amount=locked.total,
        currency=currency,
        status=Checkout.Status.OPEN,
        created_at__gt=now - REUSE_WITHIN,
    ).first()
    if reused is not None:
        return reused
    checkout = Checkout(
        provider=provider.key,
        purpose=Checkout.Purpose.INVOICE,
        client_id=locked.client_id,
        invoice=locked,
        amount=locked.total,
        currency=currency,
        created_by=_user(actor),
        created_at=now,
    )
    return _checkout_open(
        provider,
        checkout,
        description=gettext("Invoice %(number)s") % {"number": locked.number},
        cancel_path=reverse("portal:invoice", args=[locked.pk]),
    )


@transaction.atomic
def checkout_top_up(*, actor: Any, client: Client, amount: Any, now: datetime) -> Checkout:
    """A checkout that adds ``amount`` to ``client``'s wallet once it is paid."""
    provider = _online_checked()
    value = services.price_checked(amount, field="amount")
    if value > TOP_UP_MAX:
        raise ValidationError(
            field_errors={
                "amount": [
                    gettext("Add at most %(max)s at once.") % {"max": TOP_UP_MAX},
                ]
            }
        )
    checkout = Checkout(
        provider=provider.key,
        purpose=Checkout.Purpose.TOP_UP,
        client=client,
        amount=value,
        currency=settings_get(BillingSettings).currency,
        created_by=_user(actor),
        created_at=now,
    )
    return _checkout_open(
        provider,
        checkout,
        description=gettext("Wallet top-up for %(client)s") % {"client": client.name},
        cancel_path=reverse("portal:services") + "#wallet",
    )


# The provider's notifications ---------------------------------------------------------


def webhook_handle(
    *, provider_key: str, body: bytes, headers: Mapping[str, str], now: datetime
) -> PaymentEvent:
    """Verify and act on a notification ``provider_key`` sent: record it by its id (one
    delivered again is the stored one, acted on no more), and complete or expire the
    checkout it is about, under the checkout's row lock. A notification that is not
    signed, or is malformed, raises ``ValidationError`` and stores nothing."""
    provider = payment_provider_get(provider_key)
    if not provider.online or not provider.configured():
        raise NotFound(gettext("This payment method takes no notifications."))
    note = provider.notification_parse(body, headers)
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = PaymentEvent.objects.create(
                    provider=provider.key,
                    event_id=note.event_id,
                    type=note.type[:100],
                    received_at=now,
                )
        except IntegrityError:
            return PaymentEvent.objects.get(provider=provider.key, event_id=note.event_id)
        checkout = (
            Checkout.objects.select_for_update()
            .filter(provider=provider.key, session_id=note.session_id)
            .first()
            if note.session_id
            else None
        )
        if checkout is None:
            return event
        event.checkout = checkout
        event.save(update_fields=["checkout"])
        if note.outcome == PAID:
            _checkout_complete(checkout, note, now=now)
        elif note.outcome == FAILED:
            _checkout_expire(checkout, now=now)
        return event


def _checkout_complete(checkout: Checkout, note: Notification, *, now: datetime) -> None:
    """Complete the locked ``checkout`` once: pay its invoice or credit the wallet. A
    payment whose amount or currency is not the checkout's completes nothing: it is
    audited and logged for staff to look into."""
    if checkout.status == Checkout.Status.COMPLETED:
        return
    if (note.amount, note.currency) != (checkout.amount, checkout.currency):
        audit_record(
            actor=None,
            action=audit.CHECKOUT_MISMATCH,
            target=checkout,
            changes={
                "event": note.event_id,
                "amount": [str(checkout.amount), str(note.amount)],
                "currency": [checkout.currency, note.currency],
            },
            now=now,
        )
        logger.error(
            "Payment %s of checkout %s: %s %s paid, %s %s expected.",
            note.event_id,
            checkout.session_id,
            note.amount,
            note.currency,
            checkout.amount,
            checkout.currency,
        )
        return
    checkout.status = Checkout.Status.COMPLETED
    checkout.completed_at = now
    checkout.save(update_fields=["status", "completed_at"])
    audit_record(
        actor=None,
        action=audit.CHECKOUT_COMPLETE,
        target=checkout,
        changes={"event": note.event_id, "amount": str(checkout.amount)},
        now=now,
    )
    if checkout.invoice is not None:
        services.invoice_pay_online(
            invoice=checkout.invoice,
            amount=checkout.amount,
            method=checkout.provider,
            reference=checkout.session_id,
            now=now,
        )
        return
    services.wallet_top_up(
        actor=None,
        client=checkout.client,
        amount=checkout.amount,
        reason=gettext("Paid online (%(reference)s)") % {"reference": checkout.session_id},
        method=checkout.provider,
        now=now,
    )


def _checkout_expire(checkout: Checkout, *, now: datetime) -> None:
    """An open checkout that will not be paid; a completed one stays completed."""
    if checkout.status != Checkout.Status.OPEN:
        return
    checkout.status = Checkout.Status.EXPIRED
    checkout.save(update_fields=["status"])
    audit_record(actor=None, action=audit.CHECKOUT_EXPIRE, target=checkout, now=now)
