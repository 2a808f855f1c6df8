"""A ticket's thread as staff and as the client see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from snagdesk_server.tickets import selectors
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread() -> tuple[Ticket, list[Reply]]:
    ticket = factories.TicketFactory()
    start = timezone.now()
    first = factories.ReplyFactory(ticket=ticket, created_at=start)
    note = factories.ReplyFactory(
        ticket=ticket, is_internal=True, created_at=start + timedelta(minutes=1)
    )
    last = factories.ReplyFactory(ticket=ticket, created_at=start + timedelta(minutes=2))
    factories.ReplyFactory()
    return ticket, [first, note, last]


def test_staff_see_every_message_in_order_notes_included(
    thread: tuple[Ticket, list[Reply]],
) -> None:
    ticket, replies = thread

    assert selectors.ticket_thread_staff(ticket=ticket) == replies


def test_the_client_sees_the_thread_without_internal_notes(
    thread: tuple[Ticket, list[Reply]],
) -> None:
    ticket, (first, _note, last) = thread

    assert selectors.ticket_thread_public(ticket=ticket) == [first, last]
