"""Work against tickets: with the auto-consume setting on, a contact's own ticket (from
the portal or the widget) takes one unit through the ``ticket.opened`` event; under the
block policy with no units left the ticket is filed and flagged, never lost."""

from __future__ import annotations

from datetime import date

import pytest

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.config import settings_save
from snagdesk_server.support_packages.config import PackageSettings
from snagdesk_server.support_packages.models import Assignment, Entry, PackageType, Shortfall
from snagdesk_server.support_packages.services import (
    assignment_create,
    unit_adjust,
    unit_consume,
)
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.services import ticket_open
from tests.support_packages import at

pytestmark = pytest.mark.django_db

NOW = at(date(2025, 1, 15))


@pytest.fixture
def auto_consume(db: None) -> None:
    settings_save(PackageSettings, values={"auto_consume": True}, actor=None)


@pytest.fixture
def assignment(contact: Contact, standard: PackageType) -> Assignment:
    return assignment_create(
        actor=None, contact=contact, package_type=standard, start_on=NOW.date(), now=NOW
    )


def _open(run, contact: Contact, source: str) -> Ticket:
    return run(
        ticket_open,
        actor=None,
        contact=contact,
        subject="The checkout is down",
        message="Since this morning.",
        source=source,
        now=NOW,
    )


def _balance(assignment: Assignment) -> int:
    assignment.refresh_from_db()
    return assignment.balance


@pytest.mark.parametrize("source", [Ticket.Source.PORTAL, Ticket.Source.WIDGET])
def test_a_contacts_own_ticket_consumes_one_unit(
    run, auto_consume: None, contact: Contact, assignment: Assignment, source: str
) -> None:
    ticket = _open(run, contact, source)

    consumed = Entry.objects.get(kind=Entry.Kind.CONSUME)
    assert (consumed.ticket, consumed.units) == (ticket, -1)
    assert _balance(assignment) == 4


def test_a_ticket_staff_open_consumes_nothing(
    run, auto_consume: None, contact: Contact, assignment: Assignment
) -> None:
    _open(run, contact, Ticket.Source.STAFF)
    assert _balance(assignment) == 5


def test_without_the_setting_nothing_is_consumed(
    run, contact: Contact, assignment: Assignment
) -> None:
    _open(run, contact, Ticket.Source.PORTAL)
    assert _balance(assignment) == 5


def test_with_no_units_left_the_ticket_is_filed_and_flagged(
    run, auto_consume: None, contact: Contact, assignment: Assignment
) -> None:
    unit_consume(actor=None, assignment=assignment, units=5, now=NOW)

    ticket = _open(run, contact, Ticket.Source.PORTAL)

    assert Ticket.objects.filter(pk=ticket.pk).exists()
    shortfall = Shortfall.objects.get()
    assert (shortfall.ticket, shortfall.assignment, shortfall.resolved_at) == (
        ticket,
        assignment,
        None,
    )
    assert _balance(assignment) == 0

    # Units consumed for it later clear the flag.
    assignment_units = Assignment.objects.get(pk=assignment.pk)
    unit_adjust(actor=None, assignment=assignment_units, units=2, reason="Extra", now=NOW)
    unit_consume(actor=None, assignment=assignment_units, ticket=ticket, now=NOW)
    shortfall.refresh_from_db()
    assert shortfall.resolved_at == NOW
