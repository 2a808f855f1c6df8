from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.tickets.models import Reply, Ticket
from snagdesk_server.tickets.services import ticket_note_add, ticket_reply
from tests import factories
from tests.factories import token_client

pytestmark = pytest.mark.django_db


def url(ticket: Ticket, action: str) -> str:
    return f"/api/v1/tickets/{ticket.number}/{action}/"


def test_replies_list_the_whole_thread_with_internal_notes(
    api: APIClient, staff_user: User, contact: Contact
) -> None:
    ticket = factories.TicketFactory(contact=contact)
    ticket_reply(ticket=ticket, actor=staff_user, message="We are on it.")
    ticket_note_add(ticket=ticket, actor=staff_user, message="Probably the CDN.")
    assert contact.user is not None
    ticket_reply(ticket=ticket, actor=contact.user, message="Thanks!")

    response = api.get(url(ticket, "replies"))

    assert response.status_code == 200
    thread = response.json()
    assert [(r["message"], r["is_internal"], r["from_staff"]) for r in thread] == [
        ("We are on it.", False, True),
        ("Probably the CDN.", True, True),
        ("Thanks!", False, False),
    ]
    assert thread[0]["author"] == {"id": staff_user.pk, "name": str(staff_user)}
    assert thread[0]["contact"] is None
    assert thread[2]["contact"] == {"id": contact.pk, "name": contact.full_name}


def test_replies_list_shows_each_reply_attachments(api: APIClient, staff_user: User) -> None:
    ticket = factories.TicketFactory()
    ticket_reply(
        ticket=ticket,
        actor=staff_user,
        message="Patch attached.",
        attachments=[SimpleUploadedFile("fix.diff", b"+ok", content_type="text/x-diff")],
    )

    [reply] = api.get(url(ticket, "replies")).json()

    [attachment] = reply["attachments"]
    assert attachment["name"] == "fix.diff"
    assert attachment["url"].endswith(f"/attachments/{attachment['id']}/")


def test_replies_list_of_unknown_ticket_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/tickets/999999/replies/").status_code == 404


def test_reply_create_answers_the_ticket_and_mails_the_requester(
    api: APIClient, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.TicketFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(ticket, "replies"), {"message": "Fixed now."}, format="json")

    assert response.status_code == 201
    assert response.json()["is_internal"] is False
    assert response.json()["message"] == "Fixed now."
    ticket.refresh_from_db()
    assert ticket.status == "answered"
    assert ticket.reply_count == 1
    assert [m.to for m in mail.outbox] == [[ticket.requester_email]]


def test_reply_create_takes_multipart_attachments(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.post(
        url(ticket, "replies"),
        {
            "message": "Screenshot attached.",
            "attachments": [SimpleUploadedFile("shot.txt", b"x", content_type="text/plain")],
        },
        format="multipart",
    )

    assert response.status_code == 201
    assert [a["name"] for a in response.json()["attachments"]] == ["shot.txt"]


def test_reply_create_without_message_names_the_field(api: APIClient) -> None:
    ticket = factories.TicketFactory()

    response = api.post(url(ticket, "replies"), {"message": "  "}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["message"]
    assert not Reply.objects.exists()


def test_note_create_adds_an_internal_note_without_mail(
    api: APIClient, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.TicketFactory(status="in_progress")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(ticket, "notes"), {"message": "Call them."}, format="json")

    assert response.status_code == 201
    assert response.json()["is_internal"] is True
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert ticket.reply_count == 0
    assert mail.outbox == []


def test_note_create_on_unknown_ticket_is_404(api: APIClient) -> None:
    response = api.post("/api/v1/tickets/999999/notes/", {"message": "x"}, format="json")

    assert response.status_code == 404


def test_replying_needs_edit_permission(restricted_staff: User) -> None:
    assert restricted_staff.role is not None
    restricted_staff.role.permissions = ["tickets.view"]
    restricted_staff.role.save()
    ticket = factories.TicketFactory()
    client = token_client(restricted_staff)

    assert client.get(url(ticket, "replies")).status_code == 200
    assert client.post(url(ticket, "replies"), {"message": "x"}, format="json").status_code == 403
    assert client.post(url(ticket, "notes"), {"message": "x"}, format="json").status_code == 403
