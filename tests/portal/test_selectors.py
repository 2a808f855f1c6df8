"""The selectors the portal added: both stay inside the contact's own scope."""

from __future__ import annotations

from django.utils import timezone

from snagdesk_server.accounts.models import Contact
from snagdesk_server.accounts.selectors import contact_colleagues
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.selectors import ticket_counts_for_contact
from tests import factories


def test_counts_cover_only_the_contacts_own_tickets(contact: Contact) -> None:
    factories.TicketFactory(contact=contact)
    factories.TicketFactory(contact=contact, status=Ticket.Status.ANSWERED)
    factories.TicketFactory(contact=contact, status=Ticket.Status.CLOSED, closed_at=timezone.now())
    factories.TicketFactory(client=contact.client)
    factories.TicketFactory()

    assert ticket_counts_for_contact(contact=contact) == {"open": 2, "answered": 1, "closed": 1}


def test_counts_of_primary_contact_cover_the_whole_client(contact: Contact) -> None:
    contact.is_primary = True
    contact.save()
    factories.TicketFactory(contact=contact)
    factories.TicketFactory(client=contact.client)
    factories.TicketFactory()

    assert ticket_counts_for_contact(contact=contact)["open"] == 2


def test_colleagues_are_the_active_contacts_of_the_same_client(contact: Contact) -> None:
    primary = factories.ContactFactory(client=contact.client, is_primary=True)
    factories.ContactFactory(client=contact.client, active=False)
    factories.ContactFactory()

    assert list(contact_colleagues(contact=contact)) == [primary, contact]
