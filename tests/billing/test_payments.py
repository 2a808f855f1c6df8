"""Online payment through Stripe Checkout: the portal opens a checkout session at a
local server playing Stripe's API, and only a notification signed the way Stripe signs
them pays the invoice or tops up the wallet, once, however often it is delivered."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.billing import payments
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.models import (
    Checkout,
    Invoice,
    PaymentEvent,
    Product,
    Service,
    WalletEntry,
)
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import invoice_mark_paid, service_import, service_renew
from snagdesk_server.core.config import settings_save
from snagdesk_server.core.events import Event
from snagdesk_server.core.models import AuditEntry
from tests import factories
from tests.secure_messages.test_concurrency import race
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_secret"
SITE = "https://desk.example.com"
WEBHOOK = "/billing/webhooks/stripe/"


class StripeApi:
    """Stripe's API as far as Snagdesk calls it, on a local port: it opens checkout
    sessions (or refuses, with ``refuse``) and keeps each request's form fields."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self.refuse = False

    def answer(self, path: str, body: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if path != "/v1/checkout/sessions":
            return 404, {"error": {"type": "invalid_request_error", "message": "No such path"}}
        self.requests.append(dict(parse_qsl(body, keep_blank_values=True)))
        self.headers.append(headers)
        if self.refuse:
            return 400, {"error": {"type": "invalid_request_error", "message": "Bad currency"}}
        session = f"cs_test_{len(self.requests)}"
        return 200, {
            "id": session,
            "object": "checkout.session",
            "status": "open",
            "payment_status": "unpaid",
            "url": f"https://checkout.stripe.test/c/pay/{session}",
        }


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[StripeApi]:
    api = StripeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            status, answer = api.answer(self.path, body, dict(self.headers))
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_key"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.SITE_URL = SITE
    yield api
    server.shutdown()
    server.server_close()


def signed(
    event: dict[str, Any] | str, *, secret: str = SECRET, at: int | None = None
) -> dict[str, Any]:
    """A POST of ``event`` to the webhook, signed as Stripe signs: an HMAC-SHA256 of
    ``<timestamp>.<body>`` with the endpoint's secret, in ``Stripe-Signature``."""
    body = event if isinstance(event, str) else json.dumps(event)
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "data": body,
        "content_type": "application/json",
        "HTTP_STRIPE_SIGNATURE": f"t={timestamp},v1={mac}",
    }


def session_event(
    event_id: str,
    checkout: Checkout,
    *,
    type: str = "checkout.session.completed",
    payment_status: str = "paid",
    amount_total: int | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """A ``checkout.session.*`` event in the JSON Stripe sends."""
    total = round(checkout.amount * 100) if amount_total is None else amount_total
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
        "data": {
            "object": {
                "id": checkout.session_id,
                "object": "checkout.session",
                "amount_subtotal": total,
                "amount_total": total,
                "currency": (currency or checkout.currency).lower(),
                "client_reference_id": str(checkout.client_id),
                "metadata": {"purpose": checkout.purpose},
                "mode": "payment",
                "payment_intent": "pi_test_1",
                "payment_status": payment_status,
                "status": "expired" if type.endswith("expired") else "complete",
            }
        },
    }


@pytest.fixture
def service(contact: Contact, hosting: Product) -> Service:
    return service_import(
        actor=None,
        client=contact.client,
        product=hosting,
        name="Our shop",
        expires_on=date(2031, 3, 20),
        now=timezone.now(),
    )


@pytest.fixture
def invoice(service: Service) -> Invoice:
    return service_renew(actor=None, service=service, now=timezone.now())


def pay_online(portal_client: HttpClient, invoice: Invoice) -> Checkout:
    response = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))
    checkout = Checkout.objects.get(invoice=invoice, status=Checkout.Status.OPEN)
    assert response.status_code == 302
    assert response["Location"] == checkout.url
    return checkout


# Starting a payment --------------------------------------------------------------------


def test_pay_online_opens_a_stripe_checkout_for_the_invoice_total(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)

    [sent] = stripe_api.requests
    assert sent["mode"] == "payment"
    assert sent["line_items[0][price_data][unit_amount]"] == "499"
    assert sent["line_items[0][price_data][currency]"] == "eur"
    assert sent["line_items[0][price_data][product_data][name]"] == f"Invoice {invoice.number}"
    assert sent["metadata[invoice]"] == invoice.number
    assert sent["metadata[purpose]"] == "invoice"
    assert sent["client_reference_id"] == str(invoice.client_id)
    assert sent["success_url"] == (
        f"{SITE}/portal/payments/stripe/return/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert sent["cancel_url"] == f"{SITE}/portal/invoices/{invoice.pk}/"
    assert int(sent["expires_at"]) == int((checkout.created_at + timedelta(hours=1)).timestamp())
    assert stripe_api.headers[0]["Authorization"] == "Bearer sk_test_key"
    assert (checkout.session_id, checkout.amount, checkout.currency) == (
        "cs_test_1",
        Decimal("4.99"),
        "EUR",
    )
    assert checkout.url == "https://checkout.stripe.test/c/pay/cs_test_1"
    assert AuditEntry.objects.filter(action="billing.checkout.start").count() == 1


def test_a_second_click_reuses_the_open_checkout_until_half_its_life_is_gone(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    first = pay_online(portal_client, invoice)
    again = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        later = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))

    assert again["Location"] == first.url
    assert later["Location"] == "https://checkout.stripe.test/c/pay/cs_test_2"
    assert len(stripe_api.requests) == 2


def test_an_htmx_click_is_sent_to_stripe_with_hx_redirect(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    response = portal_client.post(
        reverse("portal:invoice_pay_online", args=[invoice.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == Checkout.objects.get().url


def test_a_paid_invoice_is_not_offered_for_payment(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    invoice_mark_paid(actor=None, invoice=invoice, now=timezone.now())

    page = portal_client.get(reverse("portal:invoice", args=[invoice.pk])).content.decode()
    response = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))

    assert "Pay online" not in page
    assert response.status_code == 409
    assert "This invoice is not awaiting payment." in response.content.decode()
    assert stripe_api.requests == []


def test_stripe_refusing_the_session_answers_502_and_keeps_nothing(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    stripe_api.refuse = True

    response = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))

    assert response.status_code == 502
    assert "The payment provider could not be reached." in response.content.decode()
    assert Checkout.objects.count() == 0


def test_another_clients_invoice_answers_404_and_reaches_no_stripe(
    stripe_api: StripeApi, portal_client: HttpClient, hosting: Product
) -> None:
    theirs = service_import(
        actor=None,
        client=factories.ClientFactory(),
        product=hosting,
        expires_on=date(2031, 3, 20),
        now=timezone.now(),
    )
    invoice = service_renew(actor=None, service=theirs, now=timezone.now())

    response = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))

    assert response.status_code == 404
    assert stripe_api.requests == []
    assert Checkout.objects.count() == 0


def test_the_portal_offers_online_payment_when_stripe_is_configured(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    invoice_page = portal_client.get(reverse("portal:invoice", args=[invoice.pk])).content
    services_page = portal_client.get(reverse("portal:services")).content.decode()

    assert reverse("portal:invoice_pay_online", args=[invoice.pk]).encode() in invoice_page
    assert reverse("portal:invoice_pay_online", args=[invoice.pk]) in services_page
    assert reverse("portal:wallet_add_funds") in services_page


def test_without_stripe_there_is_no_button_and_a_post_is_refused(
    portal_client: HttpClient, invoice: Invoice, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_key", ""

    invoice_page = portal_client.get(reverse("portal:invoice", args=[invoice.pk])).content
    services_page = portal_client.get(reverse("portal:services")).content.decode()
    pay = portal_client.post(reverse("portal:invoice_pay_online", args=[invoice.pk]))
    add = portal_client.post(reverse("portal:wallet_add_funds"), {"amount": "20.00"})
    webhook = HttpClient().post(WEBHOOK, **signed({"id": "evt_1", "type": "x", "data": {}}))

    assert b"Pay online" not in invoice_page
    assert "Pay online" not in services_page
    assert "Add funds" not in services_page
    assert pay.status_code == 409
    assert "Online payment is not set up: pay by bank transfer." in pay.content.decode()
    assert add.status_code == 422
    assert "Online payment is not set up: pay by bank transfer." in add.content.decode()
    assert webhook.status_code == 404
    assert (Checkout.objects.count(), PaymentEvent.objects.count()) == (0, 0)


# The return page -----------------------------------------------------------------------


def test_the_return_page_thanks_and_marks_nothing_paid(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)
    url = reverse("portal:checkout_return", args=["stripe"])

    response = portal_client.get(url, {"session_id": checkout.session_id}, follow=True)

    assert response.redirect_chain == [(reverse("portal:invoice", args=[invoice.pk]), 302)]
    assert "It shows here once it is confirmed." in response.content.decode()
    invoice.refresh_from_db()
    checkout.refresh_from_db()
    assert (invoice.status, checkout.status) == (Invoice.Status.UNPAID, Checkout.Status.OPEN)


def test_the_return_page_says_so_once_the_payment_is_confirmed(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)
    HttpClient().post(WEBHOOK, **signed(session_event("evt_1", checkout)))
    url = reverse("portal:checkout_return", args=["stripe"])

    response = portal_client.get(url, {"session_id": checkout.session_id}, follow=True)

    assert "Your payment is confirmed. Thank you." in response.content.decode()


def test_the_return_page_of_another_clients_session_answers_404(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    pay_online(portal_client, invoice)
    stranger = HttpClient()
    stranger.force_login(factories.PortalContactFactory().user)
    url = reverse("portal:checkout_return", args=["stripe"])

    assert stranger.get(url, {"session_id": "cs_test_1"}).status_code == 404
    assert portal_client.get(url, {"session_id": "cs_test_9"}).status_code == 404


# Notifications -------------------------------------------------------------------------


def test_one_event_delivered_twice_pays_the_invoice_and_extends_the_service_once(
    stripe_api: StripeApi,
    portal_client: HttpClient,
    invoice: Invoice,
    service: Service,
    emitted: list[Event],
    django_capture_on_commit_callbacks: Any,
) -> None:
    checkout = pay_online(portal_client, invoice)
    event = session_event("evt_paid", checkout)
    stripe = HttpClient()

    with django_capture_on_commit_callbacks(execute=True):
        first = stripe.post(WEBHOOK, **signed(event))
        second = stripe.post(WEBHOOK, **signed(event))

    assert (first.status_code, second.status_code) == (200, 200)
    invoice.refresh_from_db()
    service.refresh_from_db()
    checkout.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert (service.expires_on, service.renewals_done) == (date(2031, 4, 20), 1)
    assert checkout.status == Checkout.Status.COMPLETED
    assert checkout.completed_at is not None
    assert list(PaymentEvent.objects.values_list("event_id", "checkout")) == [
        ("evt_paid", checkout.pk)
    ]
    paid = [e.payload for e in emitted if e.name == "invoice.paid"]
    assert [p["method"] for p in paid] == ["stripe"]
    assert [e.name for e in emitted].count("service.renewed") == 1
    assert WalletEntry.objects.count() == 0


def test_two_events_for_one_session_complete_it_once(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice, service: Service
) -> None:
    checkout = pay_online(portal_client, invoice)
    stripe = HttpClient()

    completed = stripe.post(WEBHOOK, **signed(session_event("evt_1", checkout)))
    succeeded = stripe.post(
        WEBHOOK,
        **signed(session_event("evt_2", checkout, type="checkout.session.async_payment_succeeded")),
    )

    assert (completed.status_code, succeeded.status_code) == (200, 200)
    service.refresh_from_db()
    assert service.renewals_done == 1
    assert PaymentEvent.objects.filter(checkout=checkout).count() == 2
    assert AuditEntry.objects.filter(action="billing.checkout.complete").count() == 1
    assert WalletEntry.objects.count() == 0


def test_a_delayed_payment_is_paid_when_it_succeeds_not_when_the_session_completes(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)
    stripe = HttpClient()

    stripe.post(WEBHOOK, **signed(session_event("evt_1", checkout, payment_status="unpaid")))
    invoice.refresh_from_db()
    waiting = invoice.status
    stripe.post(
        WEBHOOK,
        **signed(session_event("evt_2", checkout, type="checkout.session.async_payment_succeeded")),
    )

    invoice.refresh_from_db()
    assert (waiting, invoice.status) == (Invoice.Status.UNPAID, Invoice.Status.PAID)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"secret": "whsec_someone_else"}, id="other secret"),
        pytest.param({"at": int(time.time()) - 301}, id="stale timestamp"),
    ],
)
def test_a_notification_not_signed_now_by_stripe_is_refused_and_stores_nothing(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice, headers: dict[str, Any]
) -> None:
    checkout = pay_online(portal_client, invoice)

    response = HttpClient().post(WEBHOOK, **signed(session_event("evt_1", checkout), **headers))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_notification"
    assert PaymentEvent.objects.count() == 0
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.UNPAID


def test_a_tampered_or_unsigned_body_is_refused(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)
    post = signed(session_event("evt_1", checkout, amount_total=1))
    tampered = {**post, "data": post["data"].replace('"amount_total": 1', '"amount_total": 499')}
    unsigned = {key: value for key, value in post.items() if key != "HTTP_STRIPE_SIGNATURE"}

    assert HttpClient().post(WEBHOOK, **tampered).status_code == 400
    assert HttpClient().post(WEBHOOK, **unsigned).status_code == 400
    assert PaymentEvent.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "[]",
        "{}",
        '{"id": "evt_1", "type": "checkout.session.completed"}',
        '{"id": "evt_1", "type": "checkout.session.completed", '
        '"data": {"object": {"object": "checkout.session", "payment_status": "paid"}}}',
        '{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": '
        '{"id": "cs_test_1", "object": "checkout.session", "payment_status": "paid"}}}',
    ],
)
def test_a_signed_but_malformed_body_is_refused_and_stores_nothing(
    stripe_api: StripeApi, body: str
) -> None:
    response = HttpClient().post(WEBHOOK, **signed(body))

    assert response.status_code == 400
    assert PaymentEvent.objects.count() == 0


def test_the_webhook_takes_only_post(stripe_api: StripeApi) -> None:
    assert HttpClient().get(WEBHOOK).status_code == 405


@pytest.mark.parametrize(
    "paid", [{"amount_total": 100}, {"currency": "usd"}], ids=["amount", "currency"]
)
def test_a_payment_of_another_amount_or_currency_completes_nothing(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice, paid: dict[str, Any]
) -> None:
    checkout = pay_online(portal_client, invoice)

    response = HttpClient().post(WEBHOOK, **signed(session_event("evt_1", checkout, **paid)))

    assert response.status_code == 200
    checkout.refresh_from_db()
    invoice.refresh_from_db()
    assert (checkout.status, invoice.status) == (Checkout.Status.OPEN, Invoice.Status.UNPAID)
    assert PaymentEvent.objects.get().checkout == checkout
    assert AuditEntry.objects.filter(action="billing.checkout.mismatch").count() == 1


def test_an_invoice_paid_by_transfer_meanwhile_credits_the_wallet_instead(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice, service: Service
) -> None:
    checkout = pay_online(portal_client, invoice)
    invoice_mark_paid(actor=None, invoice=invoice, now=timezone.now())

    HttpClient().post(WEBHOOK, **signed(session_event("evt_1", checkout)))

    service.refresh_from_db()
    assert service.renewals_done == 1
    assert wallet_balance(invoice.client_id) == Decimal("4.99")
    entry = WalletEntry.objects.get()
    assert entry.kind == WalletEntry.Kind.TOP_UP
    assert checkout.session_id in entry.reason
    assert invoice.number in entry.reason


def test_an_expired_session_expires_its_checkout_and_the_next_click_opens_another(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)

    HttpClient().post(
        WEBHOOK, **signed(session_event("evt_1", checkout, type="checkout.session.expired"))
    )
    again = pay_online(portal_client, invoice)

    checkout.refresh_from_db()
    assert checkout.status == Checkout.Status.EXPIRED
    assert again.session_id == "cs_test_2"


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_pi", "object": "event", "type": "payment_intent.succeeded",
         "data": {"object": {"id": "pi_1", "object": "payment_intent"}}},
        {"id": "evt_cs", "object": "event", "type": "checkout.session.completed",
         "data": {"object": {"id": "cs_elsewhere", "object": "checkout.session",
                             "payment_status": "paid", "amount_total": 100, "currency": "eur"}}},
    ],
    ids=["another type", "another session"],
)  # fmt: skip
def test_other_notifications_are_recorded_and_answered_200(
    stripe_api: StripeApi, event: dict[str, Any]
) -> None:
    response = HttpClient().post(WEBHOOK, **signed(event))

    assert response.status_code == 200
    stored = PaymentEvent.objects.get()
    assert (stored.event_id, stored.type, stored.checkout) == (event["id"], event["type"], None)


# Wallet top-ups ------------------------------------------------------------------------


def test_adding_funds_tops_up_the_wallet_once_when_stripe_confirms(
    stripe_api: StripeApi,
    portal_client: HttpClient,
    contact: Contact,
    emitted: list[Event],
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = portal_client.post(reverse("portal:wallet_add_funds"), {"amount": "25.50"})
    checkout = Checkout.objects.get()
    event = session_event("evt_top_up", checkout)

    with django_capture_on_commit_callbacks(execute=True):
        HttpClient().post(WEBHOOK, **signed(event))
        HttpClient().post(WEBHOOK, **signed(event))

    assert response["Location"] == checkout.url
    [sent] = stripe_api.requests
    assert sent["line_items[0][price_data][unit_amount]"] == "2550"
    assert sent["metadata[purpose]"] == "top_up"
    assert "metadata[invoice]" not in sent
    assert sent["cancel_url"] == f"{SITE}/portal/services/#wallet"
    assert (checkout.purpose, checkout.client, checkout.created_by) == (
        Checkout.Purpose.TOP_UP,
        contact.client,
        contact.user,
    )
    assert wallet_balance(contact.client) == Decimal("25.50")
    entry = WalletEntry.objects.get()
    assert (entry.kind, entry.amount) == (WalletEntry.Kind.TOP_UP, Decimal("25.50"))
    assert checkout.session_id in entry.reason
    topped_up = [e.payload for e in emitted if e.name == "wallet.topped_up"]
    assert topped_up == [
        {"client_id": contact.client_id, "amount": "25.50", "balance": "25.50", "method": "stripe"}
    ]


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("", "This field is required."),
        ("0", "Enter an amount above zero."),
        ("-5", "Enter an amount above zero."),
        ("4.999", "Enter at most two decimals."),
        ("lots", "Enter an amount, such as 4.99."),
        ("10000.01", "Add at most 10000.00 at once."),
    ],
)
def test_add_funds_refuses_an_amount_naming_why(
    stripe_api: StripeApi, portal_client: HttpClient, amount: str, error: str
) -> None:
    response = portal_client.post(reverse("portal:wallet_add_funds"), {"amount": amount})

    assert response.status_code == 422
    assert f'<p class="error" id="id_amount_error">{error}</p>' in response.content.decode()
    assert (stripe_api.requests, Checkout.objects.count()) == ([], 0)


def test_a_currency_without_cents_is_charged_in_whole_units(
    stripe_api: StripeApi, portal_client: HttpClient, staff: User
) -> None:
    settings_save(BillingSettings, values={"currency": "JPY"}, actor=staff)

    whole = portal_client.post(reverse("portal:wallet_add_funds"), {"amount": "500"})
    cents = portal_client.post(reverse("portal:wallet_add_funds"), {"amount": "500.50"})

    assert whole.status_code == 302
    assert stripe_api.requests[0]["line_items[0][price_data][unit_amount]"] == "500"
    assert stripe_api.requests[0]["line_items[0][price_data][currency]"] == "jpy"
    assert cents.status_code == 422
    assert "JPY has no cents." in cents.content.decode()
    assert Checkout.objects.get().amount == Decimal("500.00")


# The console ---------------------------------------------------------------------------


def test_the_settings_page_says_whether_online_payment_is_on(
    stripe_api: StripeApi, settings: Any
) -> None:
    manager = client_for(factories.staff_with_permissions("billing.manage"))

    on = manager.get(reverse("billing:settings")).content.decode()
    settings.STRIPE_SECRET_KEY = ""
    off = manager.get(reverse("billing:settings")).content.decode()
    form = manager.post(
        reverse("billing:settings"),
        {**dataclasses.asdict(BillingSettings()), "currency": "eur"},
        HTTP_HX_REQUEST="true",
    )

    assert f"<code>{SITE}/billing/webhooks/stripe/</code>" in on
    assert "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET" in off
    assert form.status_code == 422
    assert "Enter a three-letter code in capitals" in form.content.decode()
    assert "Online payment" not in form.content.decode()


def test_the_invoice_page_lists_its_online_payments(
    stripe_api: StripeApi, portal_client: HttpClient, invoice: Invoice
) -> None:
    checkout = pay_online(portal_client, invoice)
    viewer = client_for(factories.staff_with_permissions("billing.view"))

    page = viewer.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()

    assert "Online payments" in page
    assert f"<code>{checkout.session_id}</code>" in page


# Concurrency ---------------------------------------------------------------------------


def _delivery(event: dict[str, Any]) -> Any:
    """A call that delivers ``event``, signed, straight to the webhook's service."""
    post = signed(event)
    headers = {"Stripe-Signature": post["HTTP_STRIPE_SIGNATURE"]}
    return lambda: payments.webhook_handle(
        provider_key="stripe", body=post["data"].encode(), headers=headers, now=timezone.now()
    )


def _checkout_for_race(hosting: Product) -> tuple[Service, Checkout]:
    service = service_import(
        actor=None,
        client=factories.ClientFactory(),
        product=hosting,
        expires_on=date(2031, 3, 20),
        now=timezone.now(),
    )
    invoice = service_renew(actor=None, service=service, now=timezone.now())
    return service, payments.checkout_invoice(actor=None, invoice=invoice, now=timezone.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_one_event_delivered_twice_at_once_pays_once(
    attempt: int, stripe_api: StripeApi, hosting: Product
) -> None:
    service, checkout = _checkout_for_race(hosting)

    results, errors = race([_delivery(session_event("evt_race", checkout))] * 2)

    assert (len(results), errors) == (2, [])
    service.refresh_from_db()
    assert (service.expires_on, service.renewals_done) == (date(2031, 4, 20), 1)
    assert PaymentEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="billing.invoice.pay").count() == 1
    assert WalletEntry.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_events_for_one_session_at_once_complete_it_once(
    attempt: int, stripe_api: StripeApi, hosting: Product
) -> None:
    service, checkout = _checkout_for_race(hosting)
    succeeded = "checkout.session.async_payment_succeeded"

    results, errors = race(
        [
            _delivery(session_event("evt_completed", checkout)),
            _delivery(session_event("evt_succeeded", checkout, type=succeeded)),
        ]
    )

    assert (len(results), errors) == (2, [])
    service.refresh_from_db()
    assert service.renewals_done == 1
    assert PaymentEvent.objects.filter(checkout=checkout).count() == 2
    assert AuditEntry.objects.filter(action="billing.checkout.complete").count() == 1
    assert WalletEntry.objects.count() == 0
