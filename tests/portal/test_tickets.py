"""Opening a ticket, reading it, replying and downloading its files in the portal."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.config import settings_save
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Reply, Ticket
from snagdesk_server.tickets.services import attachment_add
from tests import factories
from tests.portal.uploads import png_upload, text_upload

XSS = "<script>alert('x')</script>"


@pytest.fixture
def one_mb_limit(db: None) -> None:
    settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=None)


def _oversize_upload() -> object:
    return text_upload("dump.sql", b"x" * (1024 * 1024 + 1))


# Opening a ticket ------------------------------------------------------------------------


def test_new_ticket_form_offers_only_own_projects(
    portal_client: HttpClient, contact: Contact
) -> None:
    own = factories.ProjectFactory(client=contact.client, name="Own shop")
    factories.ProjectFactory(name="Somebody else's site")

    response = portal_client.get(reverse("portal:ticket_new"))

    assert list(response.context["form"].fields["project"].queryset) == [own]
    assert "Own shop" in response.content.decode()


def test_new_ticket_is_opened_with_its_attachments(
    portal_client: HttpClient, contact: Contact
) -> None:
    project = factories.ProjectFactory(client=contact.client)

    response = portal_client.post(
        reverse("portal:ticket_new"),
        {
            "subject": "Checkout fails",
            "message": "Card payments time out.",
            "project": project.pk,
            "attachments": [png_upload(), text_upload()],
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ticket_detail", args=[ticket.number])
    assert ticket.source == Ticket.Source.PORTAL
    assert (ticket.contact, ticket.client, ticket.project) == (contact, contact.client, project)
    assert sorted(a.original_name for a in ticket.attachments.all()) == [
        "log.txt",
        "screenshot.png",
    ]


def test_new_ticket_confirms_with_a_message(portal_client: HttpClient) -> None:
    response = portal_client.post(
        reverse("portal:ticket_new"), {"subject": "Hi", "message": "Hello"}, follow=True
    )

    number = Ticket.objects.get().number
    assert f"Ticket #{number} is open" in response.content.decode()


def test_new_ticket_by_htmx_redirects_client_side(portal_client: HttpClient) -> None:
    response = portal_client.post(
        reverse("portal:ticket_new"),
        {"subject": "Hi", "message": "Hello"},
        HTTP_HX_REQUEST="true",
    )

    number = Ticket.objects.get().number
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("portal:ticket_detail", args=[number])


def test_new_ticket_without_subject_names_the_field(portal_client: HttpClient) -> None:
    response = portal_client.post(reverse("portal:ticket_new"), {"message": "Hello"})

    assert response.status_code == 422
    assert 'id="id_subject_error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_new_ticket_with_blank_message_shows_service_error(portal_client: HttpClient) -> None:
    response = portal_client.post(reverse("portal:ticket_new"), {"subject": "Hi", "message": "   "})

    assert response.status_code == 422
    assert 'id="id_message_error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_new_ticket_htmx_errors_swap_only_the_form(portal_client: HttpClient) -> None:
    response = portal_client.post(
        reverse("portal:ticket_new"), {"message": "Hello"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith("<form")
    assert 'id="id_subject_error"' in html
    assert "<html" not in html


@pytest.mark.usefixtures("one_mb_limit")
def test_new_ticket_with_oversize_attachment_is_refused(portal_client: HttpClient) -> None:
    response = portal_client.post(
        reverse("portal:ticket_new"),
        {"subject": "Database", "message": "Here is a dump", "attachments": [_oversize_upload()]},
    )

    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert 'value="Database"' in response.content.decode()
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


# Reading a ticket ------------------------------------------------------------------------


def test_detail_shows_the_ticket_and_public_thread(
    portal_client: HttpClient, ticket: Ticket
) -> None:
    ticket.project = factories.ProjectFactory(client=ticket.client, name="Main website")
    ticket.priority = Ticket.Priority.HIGH
    ticket.save()
    reply = factories.ReplyFactory(ticket=ticket, message="We deployed a fix.")

    response = portal_client.get(reverse("portal:ticket_detail", args=[ticket.number]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (ticket.subject, ticket.message, "Open", "High", "Main website", reply.message):
        assert text in html
    assert f'id="reply-{reply.pk}"' in html


def test_detail_links_attachments_to_the_portal(portal_client: HttpClient, ticket: Ticket) -> None:
    attachment = attachment_add(ticket=ticket, upload=text_upload(), actor=None)

    response = portal_client.get(reverse("portal:ticket_detail", args=[ticket.number]))

    assert reverse("portal:attachment", args=[attachment.pk]) in response.content.decode()


def test_detail_of_unknown_ticket_is_not_found(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("portal:ticket_detail", args=[999_999]))

    assert response.status_code == 404


# Replying --------------------------------------------------------------------------------


@pytest.fixture
def assigned_ticket(ticket: Ticket) -> Ticket:
    ticket.assignee = factories.StaffFactory(email="agent@agency.example")
    ticket.status = Ticket.Status.ANSWERED
    ticket.save()
    return ticket


def test_reply_is_added_reopens_and_mails_the_assignee(
    portal_client: HttpClient,
    contact: Contact,
    assigned_ticket: Ticket,
    django_capture_on_commit_callbacks,
) -> None:
    url = reverse("portal:ticket_reply", args=[assigned_ticket.number])

    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client.post(url, {"message": "Still broken on mobile."})

    reply = Reply.objects.get()
    assigned_ticket.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reply-{reply.pk}")
    assert (reply.contact, reply.message, reply.is_internal) == (
        contact,
        "Still broken on mobile.",
        False,
    )
    assert assigned_ticket.status == Ticket.Status.OPEN
    assert [m.to for m in mail.outbox] == [["agent@agency.example"]]


def test_reply_to_closed_ticket_reopens_it(portal_client: HttpClient, ticket: Ticket) -> None:
    ticket.status = Ticket.Status.CLOSED
    ticket.closed_at = timezone.now()
    ticket.save()

    portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]), {"message": "It is back."}
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (Ticket.Status.OPEN, None)


def test_reply_carries_its_attachments(portal_client: HttpClient, ticket: Ticket) -> None:
    portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": "See screenshot", "attachments": [png_upload()]},
    )

    reply = Reply.objects.get()
    assert [a.original_name for a in reply.attachments.all()] == ["screenshot.png"]


def test_reply_by_htmx_returns_fresh_form_and_the_new_message(
    portal_client: HttpClient, assigned_ticket: Ticket
) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[assigned_ticket.number]),
        {"message": "Thanks, works now."},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    reply = Reply.objects.get()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="reply-form"')
    assert "Thanks, works now.</textarea>" not in html
    assert 'hx-swap-oob="beforeend:#thread"' in html
    assert f'id="reply-{reply.pk}"' in html
    assert 'id="ticket-status" class="badge badge-open" hx-swap-oob="true"' in html


def test_empty_reply_names_the_field(portal_client: HttpClient, ticket: Ticket) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert 'id="id_message_error"' in response.content.decode()
    assert not Reply.objects.exists()


def test_invalid_reply_without_htmx_rerenders_the_page(
    portal_client: HttpClient, ticket: Ticket
) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]), {"message": ""}
    )

    assert response.status_code == 422
    assert ticket.subject in response.content.decode()
    assert 'id="id_message_error"' in response.content.decode()


@pytest.mark.usefixtures("one_mb_limit")
def test_reply_with_oversize_attachment_is_refused(
    portal_client: HttpClient, ticket: Ticket
) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": "Dump attached", "attachments": [_oversize_upload()]},
    )

    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not Reply.objects.exists()
    assert not Attachment.objects.exists()


def test_reply_refuses_get(portal_client: HttpClient, ticket: Ticket) -> None:
    response = portal_client.get(reverse("portal:ticket_reply", args=[ticket.number]))

    assert response.status_code == 405


# Attachments -----------------------------------------------------------------------------


def test_image_attachment_is_shown_inline(portal_client: HttpClient, ticket: Ticket) -> None:
    attachment = attachment_add(ticket=ticket, upload=png_upload(), actor=None)

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_other_attachment_is_a_download(portal_client: HttpClient, ticket: Ticket) -> None:
    upload = text_upload("page.html", b"<script>alert(1)</script>")
    upload.content_type = "text/html"
    attachment = attachment_add(ticket=ticket, upload=upload, actor=None)

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="page.html"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_on_a_staff_reply_is_available(
    portal_client: HttpClient, ticket: Ticket
) -> None:
    reply = factories.ReplyFactory(ticket=ticket)
    attachment = attachment_add(ticket=ticket, reply=reply, upload=text_upload(), actor=None)

    response = portal_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 200


def test_unknown_attachment_is_not_found(portal_client: HttpClient) -> None:
    response = portal_client.get(reverse("portal:attachment", args=[999_999]))

    assert response.status_code == 404


# Escaping --------------------------------------------------------------------------------


@pytest.fixture
def hostile_ticket(contact: Contact) -> Ticket:
    ticket = factories.TicketFactory(contact=contact, subject=XSS, message=XSS)
    factories.ReplyFactory(ticket=ticket, message=XSS, author_name=XSS)
    return ticket


@pytest.mark.parametrize("name", ["portal:home", "portal:tickets", "portal:ticket_detail"])
def test_script_in_ticket_text_is_escaped(
    portal_client: HttpClient, hostile_ticket: Ticket, name: str
) -> None:
    args = [hostile_ticket.number] if name == "portal:ticket_detail" else []

    html = portal_client.get(reverse(name, args=args)).content.decode()

    assert XSS not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_script_in_htmx_reply_is_escaped(portal_client: HttpClient, ticket: Ticket) -> None:
    response = portal_client.post(
        reverse("portal:ticket_reply", args=[ticket.number]),
        {"message": XSS},
        HTTP_HX_REQUEST="true",
    )

    assert XSS not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
