"""How support packages react to other modules' events (``core.events``)."""

from __future__ import annotations

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.events import Event
from snagdesk_server.support_packages.config import PackageSettings
from snagdesk_server.support_packages.services import ticket_consume_on_open
from snagdesk_server.tickets.models import Ticket

# Tickets a contact opens themselves; staff opening one consume by hand.
SELF_SERVICE = frozenset({Ticket.Source.PORTAL, Ticket.Source.WIDGET})


def ticket_opened(event: Event) -> None:
    """With the auto-consume setting on, a contact's own ticket takes one unit."""
    if event.payload["source"] not in SELF_SERVICE or event.payload["contact_id"] is None:
        return
    if not settings_get(PackageSettings).auto_consume:
        return
    ticket = Ticket.objects.filter(pk=event.payload["ticket_id"]).first()
    if ticket is not None:
        ticket_consume_on_open(ticket=ticket, now=event.occurred_at)
