"""Nothing of another client, a colleague's ticket (for a non-primary contact) or an
internal note can be read or written through the portal."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import escape

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Attachment, Reply, Ticket
from snagdesk_server.tickets.services import attachment_add, ticket_note_add
from tests import factories
from tests.portal.uploads import png_upload, text_upload


def _client_for(contact: Contact) -> HttpClient:
    client = HttpClient()
    client.force_login(contact.user)
    return client


# Another client's tickets ----------------------------------------------------------------


def test_other_clients_ticket_is_not_found(portal_client: HttpClient, other_ticket: Ticket) -> None:
    response = portal_client.get(reverse("portal:ticket_detail", args=[other_ticket.number]))

    assert response.status_code == 404
    assert other_ticket.subject not in response.content.decode()


def test_reply_to_other_clients_ticket_is_not_found_and_writes_nothing(
    portal_client: HttpClient, other_ticket: Ticket, django_capture_on_commit_callbacks
) -> None:
    other_ticket.status = Ticket.Status.ANSWERED
    other_ticket.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client.post(
            reverse("portal:ticket_reply", args=[other_ticket.number]),
            {"message": "Let me in", "attachments": [text_upload()]},
        )

    assert response.status_code == 404
    assert not Reply.objects.exists()
    assert not Attachment.objects.exists()
    other_ticket.refresh_from_db()
    assert other_ticket.status == Ticket.Status.ANSWERED
    assert mail.outbox == []


def test_other_clients_attachment_is_not_found(
    portal_client: HttpClient, other_ticket: Ticket
) -> None:
    attachment = attachment_add(ticket=other_ticket, upload=png_upload(), actor=None)

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_other_clients_tickets_are_not_listed(
    portal_client: HttpClient, ticket: Ticket, other_ticket: Ticket
) -> None:
    response = portal_client.get(reverse("portal:tickets"), {"q": str(other_ticket.number)})

    assert other_ticket.subject not in response.content.decode()
    assert "No tickets match" in response.content.decode()


def test_other_clients_tickets_are_not_counted_on_home(
    portal_client: HttpClient, other_ticket: Ticket
) -> None:
    response = portal_client.get(reverse("portal:home"))

    assert response.context["counts"]["open"] == 0
    assert other_ticket.subject not in response.content.decode()


def test_other_clients_project_cannot_be_chosen(
    portal_client: HttpClient, other_contact: Contact
) -> None:
    project = factories.ProjectFactory(client=other_contact.client)

    response = portal_client.post(
        reverse("portal:ticket_new"),
        {"subject": "Hi", "message": "Hello", "project": project.pk},
    )

    assert response.status_code == 422
    assert 'id="id_project_error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_company_page_shows_only_own_client(
    portal_client: HttpClient, contact: Contact, other_contact: Contact
) -> None:
    html = portal_client.get(reverse("portal:company")).content.decode()

    assert contact.client.name in html
    assert other_contact.client.name not in html
    assert other_contact.email not in html


# Colleagues at the same client -----------------------------------------------------------


@pytest.fixture
def colleague_ticket(contact: Contact) -> Ticket:
    colleague = factories.PortalContactFactory(client=contact.client)
    return factories.TicketFactory(contact=colleague, subject="Invoice question from a colleague")


def test_non_primary_contact_cannot_see_colleagues_ticket(
    portal_client: HttpClient, colleague_ticket: Ticket
) -> None:
    detail = portal_client.get(reverse("portal:ticket_detail", args=[colleague_ticket.number]))
    listing = portal_client.get(reverse("portal:tickets"))

    assert detail.status_code == 404
    assert colleague_ticket.subject not in listing.content.decode()


def test_non_primary_contact_cannot_reply_to_colleagues_ticket(
    portal_client: HttpClient, colleague_ticket: Ticket
) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[colleague_ticket.number]), {"message": "Me too"}
    )

    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_non_primary_contact_cannot_fetch_colleagues_attachment(
    portal_client: HttpClient, colleague_ticket: Ticket
) -> None:
    attachment = attachment_add(ticket=colleague_ticket, upload=text_upload(), actor=None)

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_primary_contact_sees_colleagues_ticket(contact: Contact, colleague_ticket: Ticket) -> None:
    contact.is_primary = True
    contact.save()
    client = _client_for(contact)

    detail = client.get(reverse("portal:ticket_detail", args=[colleague_ticket.number]))
    listing = client.get(reverse("portal:tickets"))

    assert detail.status_code == 200
    assert colleague_ticket.subject in listing.content.decode()
    assert escape(colleague_ticket.contact.full_name) in listing.content.decode()


# Internal notes ----------------------------------------------------------------------------


@pytest.fixture
def note(ticket: Ticket) -> Reply:
    return ticket_note_add(
        ticket=ticket,
        actor=factories.StaffFactory(),
        message="Client is on the cheap plan, do not promise anything",
        attachments=[text_upload("internal-costs.txt")],
    )


def test_internal_note_is_not_in_the_portal_thread(
    portal_client: HttpClient, ticket: Ticket, note: Reply
) -> None:
    response = portal_client.get(reverse("portal:ticket_detail", args=[ticket.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert note.message not in html
    assert "internal-costs.txt" not in html
    assert reverse("portal:attachment", args=[note.attachments.get().pk]) not in html


def test_internal_note_attachment_is_not_found(portal_client: HttpClient, note: Reply) -> None:
    attachment = note.attachments.get()

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_internal_note_is_not_in_htmx_reply_fragment(
    portal_client: HttpClient, ticket: Ticket, note: Reply
) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": "Any news?"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert note.message not in response.content.decode()
