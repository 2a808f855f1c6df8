"""A priced package bills through the billing module (``core.charges``), without either
app importing the other: the invoice line carries the discount tier, its payment grants
the units once, and a renewal still unpaid after the grace period grants nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from snagdesk_server.accounts.models import Contact
from snagdesk_server.billing.models import Invoice
from snagdesk_server.billing.services import invoice_mark_paid
from snagdesk_server.support_packages.models import Assignment, Entry, Grant
from snagdesk_server.support_packages.services import assignment_create
from snagdesk_server.support_packages.stock import stock_update
from tests.support_packages import at
from tests.support_packages.conftest import make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(db: None):
    return make_type(name="Premium", price="100.00", tax_rate="20.00", tiers=[(1, 5), (2, 10)])


def _assign(contact: Contact, package_type, start: date) -> Assignment:
    return assignment_create(
        actor=None, contact=contact, package_type=package_type, start_on=start, now=at(start)
    )


def _balance(assignment: Assignment) -> int:
    assignment.refresh_from_db()
    return assignment.balance


def test_assigning_a_priced_package_invoices_it_and_payment_grants(
    run, contact: Contact, priced
) -> None:
    assignment = run(
        assignment_create,
        actor=None,
        contact=contact,
        package_type=priced,
        start_on=date(2025, 1, 15),
        now=at(date(2025, 1, 15)),
    )

    (invoice,) = Invoice.objects.all()
    (line,) = invoice.lines.all()
    assert invoice.kind == Invoice.Kind.CHARGE
    assert (line.unit_price, line.tax_rate, invoice.total) == (
        Decimal("95.00"),
        Decimal("20.00"),
        Decimal("114.00"),
    )
    assert "5 % off from month 1" in line.description
    assert _balance(assignment) == 0
    grant = Grant.objects.get()
    assert (grant.status, grant.invoice_number) == (Grant.Status.AWAITING_PAYMENT, invoice.number)
    assert any(invoice.number in email.subject + email.body for email in mail.outbox)

    invoice_mark_paid(actor=None, invoice=invoice, now=at(date(2025, 1, 16)))

    assert _balance(assignment) == 5
    grant.refresh_from_db()
    assert grant.status == Grant.Status.GRANTED
    assert grant.batch.expires_on == date(2025, 4, 15)


def test_the_renewal_carries_the_next_tier(contact: Contact, priced) -> None:
    _assign(contact, priced, date(2025, 1, 15))
    stock_update(now=at(date(2025, 2, 15)))

    renewal = Invoice.objects.order_by("pk").last()
    assert renewal.lines.get().unit_price == Decimal("90.00")
    assert "10 % off from month 2" in renewal.lines.get().description


def test_the_job_run_twice_issues_one_renewal_invoice(contact: Contact, priced) -> None:
    _assign(contact, priced, date(2025, 1, 15))
    stock_update(now=at(date(2025, 2, 15)))
    stock_update(now=at(date(2025, 2, 15)))

    assert Invoice.objects.count() == 2
    assert Grant.objects.count() == 2


def test_an_unpaid_renewal_lapses_after_the_grace_period_and_says_so(
    run, contact: Contact, priced
) -> None:
    assignment = _assign(contact, priced, date(2025, 1, 15))
    mail.outbox.clear()

    run(stock_update, now=at(date(2025, 1, 18)))  # billing's default grace: 3 days
    assert Grant.objects.get().status == Grant.Status.AWAITING_PAYMENT
    run(stock_update, now=at(date(2025, 1, 19)))
    run(stock_update, now=at(date(2025, 1, 19)))

    grant = Grant.objects.get()
    assert grant.status == Grant.Status.LAPSED
    assert _balance(assignment) == 0
    lapsed = [m for m in mail.outbox if "was not renewed" in m.subject]
    assert len(lapsed) == 1
    assert grant.invoice_number in lapsed[0].body

    # Paid after all, it grants then, once.
    invoice = Invoice.objects.get(number=grant.invoice_number)
    invoice_mark_paid(actor=None, invoice=invoice, now=at(date(2025, 1, 25)))
    assert _balance(assignment) == 5
    assert Entry.objects.filter(kind="grant").count() == 1


def test_a_free_period_grants_at_once(contact: Contact) -> None:
    free = make_type(name="Gift", price="10.00", discount_kind="fixed", tiers=[(1, "10.00")])
    assignment = _assign(contact, free, date(2025, 1, 15))

    assert _balance(assignment) == 5
    assert not Invoice.objects.exists()
