"""Every ticket email arrives as plain text, with what people typed left as typed."""

from __future__ import annotations

import pytest
from django.core import mail

from snagdesk.tickets import services
from snagdesk.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db

TRICKY = "Q&A <b> \"quoted\" 'single'"


def _only_message() -> mail.EmailMessage:
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert not getattr(message, "alternatives", None)  # text only: nothing to escape for
    return message


def test_new_ticket_email_keeps_subject_and_message_unescaped(run) -> None:
    factories.AdminFactory()
    contact = factories.ContactFactory(client__name=TRICKY, first_name=TRICKY)

    ticket = run(
        services.ticket_open,
        actor=None,
        subject=TRICKY,
        message=f"Body {TRICKY}",
        source=Ticket.Source.STAFF,
        contact=contact,
    )

    message = _only_message()
    assert message.subject == f"[#{ticket.number}] New ticket: {TRICKY}"
    assert f"Subject:  {TRICKY}\n" in message.body
    assert f"Body {TRICKY}\n" in message.body
    assert f"opened for {TRICKY} by {TRICKY} " in message.body


def test_assignment_email_keeps_the_subject_unescaped(run) -> None:
    ticket = factories.TicketFactory(subject=TRICKY)
    agent = factories.StaffFactory()

    run(services.ticket_update, ticket=ticket, actor=None, assignee=agent)

    message = _only_message()
    assert message.subject == f"[#{ticket.number}] Assigned to you: {TRICKY}"
    assert f'Ticket #{ticket.number} "{TRICKY}" is now assigned to you.' in message.body


def test_staff_reply_email_keeps_subject_and_reply_unescaped(run) -> None:
    ticket = factories.TicketFactory(subject=TRICKY)
    agent = factories.StaffFactory(full_name=TRICKY)

    run(services.ticket_reply, ticket=ticket, actor=agent, message=f"Reply {TRICKY}")

    message = _only_message()
    assert message.to == [ticket.contact.email]
    assert message.subject == f"[#{ticket.number}] {TRICKY}"
    assert message.body.startswith(f"{TRICKY} replied to your ticket #{ticket.number}:")
    assert f"\nReply {TRICKY}\n" in message.body


def test_client_reply_email_keeps_subject_and_reply_unescaped(run) -> None:
    agent = factories.StaffFactory()
    contact = factories.PortalContactFactory(first_name=TRICKY, last_name="", client__name=TRICKY)
    ticket = factories.TicketFactory(subject=TRICKY, contact=contact, assignee=agent)

    run(services.ticket_reply, ticket=ticket, actor=contact.user, message=f"Reply {TRICKY}")

    message = _only_message()
    assert message.to == [agent.email]
    assert message.subject == f"[#{ticket.number}] Client reply: {TRICKY}"
    assert message.body.startswith(f"{TRICKY} replied to ticket #{ticket.number} ({TRICKY}):")
    assert f"\nReply {TRICKY}\n" in message.body
