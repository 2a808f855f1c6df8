"""A client's billing details: the contact who receives its invoices and notices, and
the tax rate that replaces its products' own, set from the client's page or the API;
and issued invoices, lines and credit notes, which no SQL may change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.billing.models import BillingProfile, CreditNote, Invoice, Product, Service
from snagdesk_server.billing.selectors import billing_recipients
from snagdesk_server.billing.services import (
    billing_automation,
    billing_profile_update,
    invoice_mark_paid,
    service_import,
    service_refund,
    service_renew,
)
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry
from tests import factories
from tests.factories import staff_with_permissions, token_client
from tests.tickets.conftest import client_for

pytestmark = pytest.mark.django_db


def _service(client: Client, product: Product, **fields: object) -> Service:
    fields.setdefault("expires_on", date(2031, 3, 20))
    return service_import(actor=None, client=client, product=product, now=timezone.now(), **fields)  # type: ignore[arg-type]


def _accountant(client: Client) -> Contact:
    return factories.ContactFactory(client=client, email="accounts@acme.example", language="de")


# Who receives the invoices -------------------------------------------------------------


def test_without_a_billing_contact_the_primary_contacts_are_billed(acme: Client) -> None:
    assert [(r.address, r.language) for r in billing_recipients(acme)] == [
        ("billing@acme.example", "fr")
    ]


def test_the_billing_contact_replaces_the_primary_ones_until_it_leaves(staff, acme: Client) -> None:
    accountant = _accountant(acme)
    billing_profile_update(
        actor=staff, client=acme, billing_contact=accountant, tax_rate=None, now=timezone.now()
    )
    assert [(r.address, r.language) for r in billing_recipients(acme)] == [
        ("accounts@acme.example", "de")
    ]

    Contact.objects.filter(pk=accountant.pk).update(active=False)
    assert [r.address for r in billing_recipients(acme)] == ["billing@acme.example"]


def test_the_suspension_notice_goes_to_the_billing_contact(
    run, staff, acme: Client, hosting: Product
) -> None:
    billing_profile_update(
        actor=staff,
        client=acme,
        billing_contact=_accountant(acme),
        tax_rate=None,
        now=timezone.now(),
    )
    service = _service(acme, hosting, expires_on=date(2026, 3, 20))

    run(billing_automation, now=datetime(2026, 3, 20, 10, tzinfo=UTC))

    assert Service.objects.get(pk=service.pk).state == Service.State.SUSPENDED
    assert mail.outbox
    assert [(m.to, m.extra_headers["Content-Language"]) for m in mail.outbox] == [
        (["accounts@acme.example"], "de")
    ] * len(mail.outbox)


def test_a_contact_of_another_client_or_an_inactive_one_is_refused(staff, acme: Client) -> None:
    stranger = factories.ContactFactory(client=factories.ClientFactory(name="Other"))
    gone = factories.ContactFactory(client=acme, active=False)

    for contact in (stranger, gone):
        with pytest.raises(ValidationError) as caught:
            billing_profile_update(
                actor=staff,
                client=acme,
                billing_contact=contact,
                tax_rate=None,
                now=timezone.now(),
            )
        assert caught.value.field_errors == {
            "billing_contact": ["Choose an active contact of this client."]
        }
    assert not BillingProfile.objects.exists()


# The client's tax rate -----------------------------------------------------------------


def test_the_clients_rate_replaces_the_products_and_rounds_per_line(
    staff, acme: Client, hosting: Product
) -> None:
    Product.objects.filter(pk=hosting.pk).update(tax_rate=Decimal("21.00"))
    hosting.refresh_from_db()
    taxed = service_renew(
        actor=staff, service=_service(acme, hosting, cycle="quarterly"), now=timezone.now()
    )
    # 14.97 x 21 % = 3.1437: the line rounds to the cent, and the invoice sums its lines.
    assert (taxed.net, taxed.tax, taxed.total) == (
        Decimal("14.97"),
        Decimal("3.14"),
        Decimal("18.11"),
    )

    billing_profile_update(
        actor=staff, client=acme, billing_contact=None, tax_rate="5.5", now=timezone.now()
    )
    invoice = service_renew(actor=staff, service=_service(acme, hosting), now=timezone.now())
    (line,) = invoice.lines.all()
    # 4.99 x 5.5 % = 0.27445, rounded half up to 0.27.
    assert (line.tax_rate, line.tax, invoice.tax, invoice.total) == (
        Decimal("5.50"),
        Decimal("0.27"),
        Decimal("0.27"),
        Decimal("5.26"),
    )
    # The invoice issued before keeps its rate.
    taxed.refresh_from_db()
    assert taxed.tax == Decimal("3.14")


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("100", "Enter a rate from 0 to 99.99."),
        ("-1", "Enter a rate from 0 to 99.99."),
        ("abc", "Enter a rate from 0 to 99.99."),
        ("5.555", "Enter at most two decimals."),
    ],
)
def test_a_bad_rate_names_the_field_and_saves_nothing(
    staff, acme: Client, rate: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        billing_profile_update(
            actor=staff, client=acme, billing_contact=None, tax_rate=rate, now=timezone.now()
        )
    assert caught.value.field_errors == {"tax_rate": [message]}
    assert not BillingProfile.objects.exists()


# The console ---------------------------------------------------------------------------


def test_a_manager_sets_the_billing_details_from_the_client_page(acme: Client) -> None:
    manager = staff_with_permissions("clients.view", "billing.view", "billing.manage")
    accountant = _accountant(acme)
    browser = client_for(manager)
    page = browser.get(reverse("accounts:client_detail", args=[acme.pk]))
    assert "The primary contacts" in page.content.decode()
    url = reverse("billing:profile", args=[acme.pk])
    assert f'href="{url}"' in page.content.decode()

    form = browser.get(url)
    assert form.status_code == 200
    assert f'value="{accountant.pk}"' in form.content.decode()

    saved = browser.post(url, {"billing_contact": accountant.pk, "tax_rate": "0"})
    assert saved.status_code == 302
    profile = BillingProfile.objects.get(client=acme)
    assert (profile.billing_contact, profile.tax_rate) == (accountant, Decimal("0.00"))
    entry = AuditEntry.objects.get(action="billing.profile.update")
    assert entry.changes == {
        "billing_contact": ["None", str(accountant.pk)],
        "tax_rate": ["None", "0.00"],
    }
    shown = browser.get(reverse("accounts:client_detail", args=[acme.pk])).content.decode()
    assert "accounts@acme.example" in shown
    assert "0.00 %" in shown


def test_the_form_refuses_a_bad_rate_in_place(acme: Client) -> None:
    browser = client_for(staff_with_permissions("billing.view", "billing.manage"))
    answer = browser.post(reverse("billing:profile", args=[acme.pk]), {"tax_rate": "150"})
    assert answer.status_code == 422
    assert "Enter a rate from 0 to 99.99." in answer.content.decode()
    assert not BillingProfile.objects.exists()


def test_only_billing_managers_edit_the_details(acme: Client) -> None:
    url = reverse("billing:profile", args=[acme.pk])
    reader = client_for(staff_with_permissions("clients.view", "billing.view"))
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"tax_rate": "0"}).status_code == 403
    page = reader.get(reverse("accounts:client_detail", args=[acme.pk])).content.decode()
    assert url not in page
    assert not BillingProfile.objects.exists()


# The API -------------------------------------------------------------------------------


def test_the_api_reads_and_updates_the_details_with_their_permissions(acme: Client) -> None:
    accountant = _accountant(acme)
    url = f"/api/v1/billing-profiles/{acme.pk}/"
    reader = token_client(staff_with_permissions("billing.view"))
    manager = token_client(staff_with_permissions("billing.view", "billing.manage"))

    assert reader.get(url).json() == {"client": acme.pk, "billing_contact": None, "tax_rate": None}
    assert reader.patch(url, {"tax_rate": "0"}, format="json").status_code == 403

    changed = manager.patch(url, {"billing_contact": accountant.pk}, format="json")
    assert changed.json() == {
        "client": acme.pk,
        "billing_contact": accountant.pk,
        "tax_rate": None,
    }
    kept = manager.patch(url, {"tax_rate": "7.5"}, format="json").json()
    assert (kept["billing_contact"], kept["tax_rate"]) == (accountant.pk, "7.50")

    refused = manager.patch(url, {"billing_contact": 999999}, format="json")
    assert refused.status_code == 400
    assert "billing_contact" in refused.json()["fields"]
    assert manager.get("/api/v1/billing-profiles/999999/").status_code == 404


# Issued documents are immutable --------------------------------------------------------


def _issued(staff, acme: Client, hosting: Product) -> Invoice:
    return service_renew(actor=staff, service=_service(acme, hosting), now=timezone.now())


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE billing_invoice SET total = 1 WHERE id = %s",
        "UPDATE billing_invoice SET number = 'X-1' WHERE id = %s",
        "UPDATE billing_invoice SET kind = 'upgrade' WHERE id = %s",
        "UPDATE billing_invoice SET reference = 'x:1' WHERE id = %s",
        "UPDATE billing_invoiceline SET net = 0 WHERE invoice_id = %s",
    ],
)
def test_no_sql_changes_an_issued_invoice(staff, acme: Client, hosting: Product, sql: str) -> None:
    invoice = _issued(staff, acme, hosting)

    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [invoice.pk])

    fresh = Invoice.objects.get(pk=invoice.pk)
    assert (fresh.number, fresh.total) == (invoice.number, invoice.total)
    assert fresh.lines.get().net == invoice.net


def test_its_payment_is_recorded_and_a_credit_note_is_immutable(
    staff, acme: Client, hosting: Product
) -> None:
    invoice = invoice_mark_paid(
        actor=staff, invoice=_issued(staff, acme, hosting), now=timezone.now()
    )
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID

    note = service_refund(
        actor=staff, service=invoice.service, reason="Closed", to_wallet=True, now=timezone.now()
    )
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).update(total=Decimal("1.00"))
    assert CreditNote.objects.get(pk=note.pk).total == invoice.total


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses deletes too")
def test_postgresql_refuses_to_delete_an_issued_invoice(
    staff, acme: Client, hosting: Product
) -> None:
    invoice = _issued(staff, acme, hosting)
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM billing_invoiceline WHERE invoice_id = %s", [invoice.pk])
    assert Invoice.objects.get(pk=invoice.pk).lines.count() == 1
