from __future__ import annotations

import pytest

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Ticket
from tests import factories


@pytest.fixture
def ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(contact=contact, subject="Checkout page is blank")


@pytest.fixture
def other_contact(db: None) -> Contact:
    """The primary contact of another client, with a portal login of their own."""
    return factories.PortalContactFactory(is_primary=True)


@pytest.fixture
def other_ticket(other_contact: Contact) -> Ticket:
    return factories.TicketFactory(
        contact=other_contact, subject="Secret problem of another client"
    )
