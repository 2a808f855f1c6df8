"""The stock job and the ledger: the issue's worked example, run twice, caught up after
a missed week, non-cumulative renewals, discount months, lapsed renewals, alerts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db.models import Sum

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.jobs import job_run
from snagdesk_server.support_packages.models import Assignment, Batch, Entry, Grant, PackageType
from snagdesk_server.support_packages.services import (
    assignment_create,
    assignment_deactivate,
    unit_consume,
)
from snagdesk_server.support_packages.stock import stock_update
from tests.support_packages import at
from tests.support_packages.conftest import make_type

pytestmark = pytest.mark.django_db


def _assign(contact: Contact, package_type: PackageType, start: date) -> Assignment:
    return assignment_create(
        actor=None, contact=contact, package_type=package_type, start_on=start, now=at(start)
    )


def _balance(assignment: Assignment) -> int:
    assignment.refresh_from_db()
    ledger = Entry.objects.filter(assignment=assignment).aggregate(total=Sum("units"))["total"] or 0
    assert ledger == assignment.balance, "the ledger sums to the balance"
    return assignment.balance


def _days(start: date, end: date) -> list[date]:
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def _ledger(assignment: Assignment) -> list[tuple[str, int, int]]:
    return list(
        Entry.objects.filter(assignment=assignment)
        .order_by("pk")
        .values_list("kind", "units", "balance_after")
    )


def test_the_worked_example(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard, date(2025, 1, 15))
    assert _balance(assignment) == 5

    unit_consume(actor=None, assignment=assignment, units=3, now=at(date(2025, 1, 20)))
    assert _balance(assignment) == 2

    stock_update(now=at(date(2025, 2, 15)))
    assert _balance(assignment) == 7

    entries = unit_consume(actor=None, assignment=assignment, units=4, now=at(date(2025, 2, 20)))
    first, second = Batch.objects.filter(assignment=assignment).order_by("granted_on")[:2]
    assert [(e.batch_id, e.units) for e in entries] == [(first.pk, -2), (second.pk, -2)]
    assert _balance(assignment) == 3

    stock_update(now=at(date(2025, 3, 15)))
    assert _balance(assignment) == 8

    stock_update(now=at(date(2025, 4, 15)))
    first.refresh_from_db()
    assert (first.remaining, first.ended_on) == (0, date(2025, 4, 15))
    assert not Entry.objects.filter(batch=first, kind=Entry.Kind.EXPIRE).exists()
    assert _balance(assignment) == 13

    stock_update(now=at(date(2025, 5, 15)))
    expired = Entry.objects.get(batch=second, kind=Entry.Kind.EXPIRE)
    assert (expired.units, expired.balance_after) == (-3, 10)
    assert _balance(assignment) == 15


def test_the_job_run_twice_at_the_same_now_changes_nothing(
    contact: Contact, standard: PackageType
) -> None:
    assignment = _assign(contact, standard, date(2025, 1, 15))
    first = stock_update(now=at(date(2025, 4, 15)))
    ledger = _ledger(assignment)

    assert first["granted"] == 3
    assert stock_update(now=at(date(2025, 4, 15))) == {}
    assert _ledger(assignment) == ledger
    assert Grant.objects.filter(assignment=assignment).count() == 4


def test_a_missed_week_is_caught_up_exactly(contact: Contact) -> None:
    """A weekly-minded package: 2 units valid a month, renewed monthly, from the 31st.
    Ten weeks run daily and the same ten weeks run once leave the same ledger."""
    package_type = make_type(units=2, validity_months=1, renewal_months=1, name="Short")
    other = Contact.objects.create(
        client=contact.client, first_name="Jo", email="jo@movies.example"
    )
    daily = _assign(contact, package_type, date(2025, 1, 31))
    caught = _assign(other, package_type, date(2025, 1, 31))
    unit_consume(actor=None, assignment=daily, units=1, now=at(date(2025, 2, 3)))
    unit_consume(actor=None, assignment=caught, units=1, now=at(date(2025, 2, 3)))

    for day in _days(date(2025, 2, 4), date(2025, 4, 10)):
        Assignment.objects.filter(pk=caught.pk).update(active=False)
        stock_update(now=at(day))
        Assignment.objects.filter(pk=caught.pk).update(active=True)
    stock_update(now=at(date(2025, 4, 10)))

    assert _ledger(caught) == _ledger(daily)
    assert _balance(caught) == _balance(daily) == 2
    granted = Batch.objects.filter(assignment=caught).values_list("granted_on", flat=True)
    # The 31st is kept as the anchor through February's end.
    assert sorted(granted) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]


def test_a_non_cumulative_renewal_ends_the_previous_batches(contact: Contact) -> None:
    package_type = make_type(cumulative=False)
    assignment = _assign(contact, package_type, date(2025, 1, 15))
    unit_consume(actor=None, assignment=assignment, units=1, now=at(date(2025, 1, 20)))

    stock_update(now=at(date(2025, 2, 15)))

    assert _ledger(assignment)[-2:] == [("expire", -4, 0), ("grant", 5, 5)]
    assert Batch.objects.filter(assignment=assignment, ended_on__isnull=True).count() == 1


def test_a_package_without_renewal_grants_once(contact: Contact) -> None:
    package_type = make_type(renewal_months=0, validity_months=2)
    assignment = _assign(contact, package_type, date(2025, 1, 15))

    stock_update(now=at(date(2025, 6, 1)))

    assert _ledger(assignment) == [("grant", 5, 5), ("expire", -5, 0)]
    assignment.refresh_from_db()
    assert assignment.next_renewal_on is None


def test_a_future_start_grants_on_its_day(contact: Contact, standard: PackageType) -> None:
    assignment = assignment_create(
        actor=None,
        contact=contact,
        package_type=standard,
        start_on=date(2025, 3, 1),
        now=at(date(2025, 2, 20)),
    )
    assert _balance(assignment) == 0

    stock_update(now=at(date(2025, 2, 28)))
    assert _balance(assignment) == 0
    stock_update(now=at(date(2025, 3, 1)))
    assert _balance(assignment) == 5


def test_the_subscription_month_advances(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard, date(2025, 1, 31))

    stock_update(now=at(date(2025, 2, 27)))
    assignment.refresh_from_db()
    assert assignment.subscription_month == 1
    stock_update(now=at(date(2025, 2, 28)))
    assignment.refresh_from_db()
    assert (assignment.subscription_month, assignment.month_advances_on) == (2, date(2025, 3, 31))


def test_a_deactivated_assignment_renews_no_more(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard, date(2025, 1, 15))
    assignment_deactivate(actor=None, assignment=assignment, now=at(date(2025, 1, 20)))

    assert stock_update(now=at(date(2025, 3, 15))) == {}
    assert _balance(assignment) == 5


def test_low_balance_and_expiry_alerts_are_sent_once(run, contact: Contact) -> None:
    package_type = make_type(low_balance_threshold=1, renewal_months=0)
    assignment = _assign(contact, package_type, date(2025, 1, 15))
    unit_consume(actor=None, assignment=assignment, units=4, now=at(date(2025, 1, 20)))
    mail.outbox.clear()

    run(stock_update, now=at(date(2025, 1, 21)))
    run(stock_update, now=at(date(2025, 1, 21)))
    assert [m.subject for m in mail.outbox] == ["Your Standard package is running low"]
    assert "1 ticket left" in mail.outbox[0].body

    mail.outbox.clear()
    run(stock_update, now=at(date(2025, 4, 9)))
    run(stock_update, now=at(date(2025, 4, 10)))
    assert [m.subject for m in mail.outbox] == ["Unused units of your Standard package expire soon"]
    assert mail.outbox[0].to == ["jane@movies.example"]


def test_run_job_runs_the_stock_job(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard, date(2025, 1, 15))

    assert job_run("support_packages_stock", now=at(date(2025, 2, 15)))["granted"] == 1
    assert _balance(assignment) == 10
