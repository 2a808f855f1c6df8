"""The portal's services: a contact sees only their client's services, invoices and
wallet, renews a service and pays an invoice from the wallet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Contact
from snagdesk_server.billing.models import Invoice, Product, Service
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import (
    service_import,
    service_renew,
    wallet_top_up,
)
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("portal:services")


def imported(client: object, product: Product, name: str) -> Service:
    return service_import(
        actor=None,
        client=client,  # type: ignore[arg-type]
        product=product,
        name=name,
        expires_on=date(2031, 3, 20),
        now=timezone.now(),
    )


def test_a_contact_sees_only_their_clients_services_and_invoices(
    contact: Contact, portal_client: HttpClient, hosting: Product
) -> None:
    mine = imported(contact.client, hosting, "Our shop")
    theirs = imported(factories.ClientFactory(), hosting, "Their shop")
    service_renew(actor=None, service=mine, now=timezone.now())
    other_invoice = service_renew(actor=None, service=theirs, now=timezone.now())

    page = portal_client.get(URL).content.decode()

    assert "Our shop" in page
    assert "Their shop" not in page
    assert other_invoice.number not in page
    assert "Your wallet holds 0.00\N{NO-BREAK SPACE}EUR." in page


def test_a_contact_renews_and_pays_from_the_wallet(
    contact: Contact, portal_client: HttpClient, hosting: Product
) -> None:
    service = imported(contact.client, hosting, "Our shop")
    wallet_top_up(actor=None, client=contact.client, amount="5.00", now=timezone.now())

    renewed = portal_client.post(reverse("portal:service_renew", args=[service.pk]), follow=True)
    invoice = Invoice.objects.get()
    paid = portal_client.post(reverse("portal:invoice_pay", args=[invoice.pk]), follow=True)

    assert f"Invoice {invoice.number} renews Our shop." in renewed.content.decode()
    assert f"Invoice {invoice.number} is paid." in paid.content.decode()
    assert wallet_balance(contact.client) == Decimal("0.01")
    service.refresh_from_db()
    assert service.expires_on == date(2031, 4, 20)


def test_an_empty_wallet_refuses_the_payment_and_keeps_the_invoice(
    contact: Contact, portal_client: HttpClient, hosting: Product
) -> None:
    invoice = service_renew(
        actor=None, service=imported(contact.client, hosting, "Our shop"), now=timezone.now()
    )

    response = portal_client.post(reverse("portal:invoice_pay", args=[invoice.pk]))

    assert response.status_code == 409
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.UNPAID


def test_another_clients_service_and_invoice_answer_404(
    portal_client: HttpClient, hosting: Product
) -> None:
    theirs = imported(factories.ClientFactory(), hosting, "Their shop")
    invoice = service_renew(actor=None, service=theirs, now=timezone.now())
    wallet_top_up(actor=None, client=theirs.client, amount="50.00", now=timezone.now())

    renew = portal_client.post(reverse("portal:service_renew", args=[theirs.pk]))
    pay = portal_client.post(reverse("portal:invoice_pay", args=[invoice.pk]))

    assert (renew.status_code, pay.status_code) == (404, 404)
    assert Invoice.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.UNPAID
    assert wallet_balance(theirs.client) == Decimal("50.00")


def test_the_portal_needs_a_signed_in_contact(client: HttpClient, hosting: Product) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert "/portal/login/" in response["Location"]


def test_a_contact_reads_their_invoice_and_not_another_clients(
    contact: Contact, portal_client: HttpClient, hosting: Product
) -> None:
    mine = service_renew(
        actor=None, service=imported(contact.client, hosting, "Our shop"), now=timezone.now()
    )
    theirs = service_renew(
        actor=None,
        service=imported(factories.ClientFactory(), hosting, "Theirs"),
        now=timezone.now(),
    )

    page = portal_client.get(reverse("portal:invoice", args=[mine.pk]))
    other = portal_client.get(reverse("portal:invoice", args=[theirs.pk]))

    assert page.status_code == 200
    assert f"Invoice {mine.number}" in page.content.decode()
    assert other.status_code == 404
