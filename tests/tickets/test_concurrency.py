"""Concurrent writers on a real database: row locks must keep every update.

SQLite serialises writers, so these run on PostgreSQL only (``.ci/run`` does)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from snagdesk_server.tickets import services
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls: Callable[[], object]) -> list[BaseException]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def go(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("attempt", range(5))
def test_concurrent_status_and_priority_changes_both_persist(attempt):
    staff = factories.StaffFactory()
    ticket = factories.TicketFactory()
    stale_a, stale_b = Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=ticket.pk)
    errors = race(
        lambda: services.ticket_update(ticket=stale_a, actor=staff, status="on_hold"),
        lambda: services.ticket_update(ticket=stale_b, actor=staff, priority="urgent"),
    )
    assert errors == []
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == ("on_hold", "urgent")


def test_concurrent_replies_are_all_counted():
    staff = factories.StaffFactory()
    ticket = factories.TicketFactory()
    errors = race(
        *[
            lambda n=n: services.ticket_reply(ticket=ticket, actor=staff, message=f"reply {n}")
            for n in range(8)
        ]
    )
    assert errors == []
    ticket.refresh_from_db()
    assert ticket.reply_count == 8 == Reply.objects.filter(ticket=ticket).count()


def test_concurrent_tickets_get_distinct_consecutive_numbers():
    contact = factories.PortalContactFactory()
    errors = race(
        *[
            lambda n=n: services.ticket_open(
                actor=contact.user, contact=contact, subject=f"s{n}", message="m", source="portal"
            )
            for n in range(8)
        ]
    )
    assert errors == []
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 9))
