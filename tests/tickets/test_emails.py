"""Every ticket email arrives as plain text, with what people typed left as typed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.core.config import settings_save
from snagdesk_server.tickets import services
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.filing import submission_file
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


# The reporter's acknowledgement ----------------------------------------------------------


def _acknowledgements() -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if "We received your request" in m.subject]


def test_a_portal_ticket_acknowledges_the_contact_with_a_portal_link(run) -> None:
    contact = factories.PortalContactFactory(first_name=TRICKY, last_name="")

    ticket = run(
        services.ticket_open,
        actor=contact.user,
        subject=TRICKY,
        message="The cart is empty.",
        source=Ticket.Source.PORTAL,
        contact=contact,
    )

    [message] = _acknowledgements()
    assert message.to == [contact.email]
    assert message.subject == f"[#{ticket.number}] We received your request: {TRICKY}"
    assert message.body.startswith(f"Hello {TRICKY},\n")
    assert f"it is now ticket #{ticket.number}," in message.body
    assert f"Subject: {TRICKY}\n" in message.body
    assert f"{settings.SITE_URL.rstrip('/')}/portal/tickets/{ticket.number}/" in message.body


def test_a_widget_visitor_is_acknowledged_without_a_portal_link(run) -> None:
    token = factories.WidgetTokenFactory()
    submission = factories.SubmissionFactory(token=token, subject=TRICKY)

    ticket = run(submission_file, submission_id=submission.pk, now=timezone.now())

    [message] = _acknowledgements()
    assert message.to == ["ada@visitor.example"]
    assert message.subject == f"[#{ticket.number}] We received your request: {TRICKY}"
    assert "/portal/" not in message.body
    assert f"Please quote #{ticket.number} if you write to us about it." in message.body


def test_a_contact_without_a_portal_login_gets_no_portal_link(run) -> None:
    contact = factories.ContactFactory()
    token = factories.WidgetTokenFactory(project__client=contact.client)
    submission = factories.SubmissionFactory(
        token=token, contact=contact, submitter_name="", submitter_email=""
    )

    run(submission_file, submission_id=submission.pk, now=timezone.now())

    [message] = _acknowledgements()
    assert message.to == [contact.email]
    assert "/portal/" not in message.body


def test_filing_a_submission_again_acknowledges_it_once(run) -> None:
    submission = factories.SubmissionFactory()

    first = run(submission_file, submission_id=submission.pk, now=timezone.now())
    again = run(submission_file, submission_id=submission.pk, now=timezone.now())

    assert again == first
    assert len(_acknowledgements()) == 1


@pytest.mark.parametrize("source", [Ticket.Source.STAFF, Ticket.Source.API])
def test_a_ticket_staff_open_sends_no_acknowledgement(run, source: str) -> None:
    contact = factories.PortalContactFactory()

    run(
        services.ticket_open,
        actor=factories.StaffFactory(),
        subject="Renew the domain",
        message="It expires Friday.",
        source=source,
        contact=contact,
    )

    assert _acknowledgements() == []
    assert contact.email not in [address for m in mail.outbox for address in m.to]


def test_no_acknowledgement_when_the_setting_is_off(run) -> None:
    settings_save(TicketSettings, values={"acknowledge_reporter": False}, actor=None)
    contact = factories.PortalContactFactory()

    run(
        services.ticket_open,
        actor=contact.user,
        subject="Broken cart",
        message="The cart is empty.",
        source=Ticket.Source.PORTAL,
        contact=contact,
    )

    assert _acknowledgements() == []


def test_opening_a_ticket_in_the_portal_acknowledges_it(
    portal_client, contact, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client.post(
            reverse("portal:ticket_new"), {"subject": "Broken cart", "message": "Empty."}
        )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    [message] = _acknowledgements()
    assert message.to == [contact.email]
    assert f"/portal/tickets/{ticket.number}/" in message.body
