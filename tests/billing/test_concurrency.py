"""Billing under concurrent requests: the automation run twice at once, wallet debits
racing for the same balance, a payment confirmed twice. SQLite serialises writers, so
this runs on PostgreSQL only (``.ci/run`` does)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail

from snagdesk_server.billing.models import Invoice, Product, ProductGroup, Service, WalletEntry
from snagdesk_server.billing.selectors import wallet_balance
from snagdesk_server.billing.services import (
    billing_automation,
    invoice_mark_paid,
    invoice_pay_from_wallet,
    service_import,
    service_renew,
    wallet_top_up,
)
from snagdesk_server.core.errors import Conflict
from tests import factories
from tests.secure_messages.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 3, 20, 6, 5, tzinfo=UTC)


def _product() -> Product:
    group = ProductGroup.objects.create(name="Hosting")
    return Product.objects.create(group=group, name="Starter", monthly_price=Decimal("4.99"))


@pytest.mark.parametrize("attempt", range(5))
def test_two_runs_at_once_invoice_suspend_and_mail_once(attempt: int) -> None:
    client = factories.ClientFactory()
    factories.ContactFactory(client=client, is_primary=True)
    product = _product()
    services = [
        service_import(
            actor=None, client=client, product=product, expires_on=date(2026, 3, 20), now=NOW
        )
        for _ in range(6)
    ]

    results, errors = race([lambda: billing_automation(now=NOW)] * 2)

    assert errors == []
    steps = [step for result in results for step in result]  # type: ignore[attr-defined]
    assert sorted(step.action for step in steps) == ["invoice"] * 6 + ["suspend"] * 6
    assert Invoice.objects.count() == 6
    assert set(Service.objects.values_list("state", flat=True)) == {Service.State.SUSPENDED}
    # Each suspension mailed once, and each invoice once with its PDF.
    attached = sorted(email.attachments[0][0] for email in mail.outbox if email.attachments)
    numbers = Invoice.objects.order_by("number").values_list("number", flat=True)
    assert attached == [f"invoice-{number}.pdf" for number in numbers]
    assert len(mail.outbox) == 2 * len(services)


@pytest.mark.parametrize("attempt", range(5))
def test_concurrent_wallet_payments_never_take_the_balance_below_zero(attempt: int) -> None:
    client = factories.ClientFactory()
    product = _product()
    wallet_top_up(actor=None, client=client, amount="10.00", now=NOW)
    invoices = [
        service_renew(
            actor=None,
            service=service_import(
                actor=None, client=client, product=product, expires_on=date(2026, 4, 1), now=NOW
            ),
            now=NOW,
        )
        for _ in range(5)
    ]

    results, errors = race(
        [
            lambda invoice=invoice: invoice_pay_from_wallet(actor=None, invoice=invoice, now=NOW)
            for invoice in invoices
        ]
    )

    assert len(results) == 2
    assert [getattr(error, "code", error) for error in errors] == ["insufficient_funds"] * 3
    assert wallet_balance(client) == Decimal("0.02")
    assert sum(WalletEntry.objects.values_list("amount", flat=True)) == Decimal("0.02")
    assert Invoice.objects.filter(status="paid").count() == 2


@pytest.mark.parametrize("attempt", range(5))
def test_a_payment_confirmed_twice_at_once_extends_once(attempt: int) -> None:
    client = factories.ClientFactory()
    service = service_import(
        actor=None, client=client, product=_product(), expires_on=date(2026, 4, 1), now=NOW
    )
    invoice = service_renew(actor=None, service=service, now=NOW)

    results, errors = race([lambda: invoice_mark_paid(actor=None, invoice=invoice, now=NOW)] * 2)

    assert len(results) == 1
    assert [type(error) for error in errors] == [Conflict]
    service.refresh_from_db()
    assert (service.expires_on, service.renewals_done) == (date(2026, 5, 1), 1)
