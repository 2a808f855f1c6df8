"""One ticket in the staff console: the page, inline changes, replies, notes, attachments."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from PIL import Image

from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.services import client_update
from snagdesk_server.core.config import settings_save
from snagdesk_server.tickets import services, thumbnails
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Reply, Ticket
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(staff_user: User, run) -> Ticket:  # type: ignore[no-untyped-def]
    contact = factories.ContactFactory(email="ada@client.example")
    return run(
        services.ticket_open,
        actor=staff_user,
        contact=contact,
        subject="Checkout is broken",
        message="The pay button does nothing.",
        source="staff",
    )


def _png(name: str = "shot.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (400, 300), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _url(name: str, ticket: Ticket) -> str:
    return reverse(f"tickets:{name}", args=[ticket.number])


# The page ------------------------------------------------------------------------------------


def test_detail_shows_the_ticket_and_its_thread(
    staff_client: HttpClient, ticket: Ticket, staff_user: User
) -> None:
    services.ticket_reply(ticket=ticket, actor=staff_user, message="We are on it.")
    services.ticket_note_add(ticket=ticket, actor=staff_user, message="Probably the CDN <again>.")

    response = staff_client.get(_url("detail", ticket))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Checkout is broken" in html
    assert html.index("The pay button does nothing.") < html.index("We are on it.")
    assert '<article class="message internal"' in html
    assert "Probably the CDN &lt;again&gt;." in html
    assert "opened the ticket" in html


def test_detail_htmx_request_returns_the_ticket_without_the_layout(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.get(_url("detail", ticket), **HTMX)

    html = response.content.decode()
    assert "Checkout is broken" in html
    assert "<html" not in html
    assert 'class="sidebar"' not in html


def test_detail_of_an_unknown_number_is_404(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("tickets:detail", args=[424242])).status_code == 404


def test_detail_needs_the_view_permission(outsider_client: HttpClient, ticket: Ticket) -> None:
    assert outsider_client.get(_url("detail", ticket)).status_code == 403


def test_detail_shows_no_editing_to_a_viewer(viewer_client: HttpClient, ticket: Ticket) -> None:
    response = viewer_client.get(_url("detail", ticket))

    html = response.content.decode()
    assert response.status_code == 200
    assert _url("update", ticket) not in html
    assert _url("reply", ticket) not in html


def test_detail_shows_image_thumbnails_linking_to_the_full_image(
    staff_client: HttpClient, staff_user: User
) -> None:
    ticket = services.ticket_open(
        actor=staff_user,
        subject="Look",
        message="See the screenshot.",
        source="staff",
        submitter_email="a@example.com",
        attachments=[_png()],
    )
    attachment = ticket.attachments.get()
    thumbnails.attachment_thumbnail_make(attachment_id=attachment.pk)

    html = staff_client.get(_url("detail", ticket)).content.decode()

    assert f'<a href="{reverse("tickets:attachment", args=[attachment.pk])}"' in html
    assert f'<img src="{reverse("tickets:thumbnail", args=[attachment.pk])}"' in html


# Inline changes ------------------------------------------------------------------------------


def test_inline_status_change_saves_and_returns_the_properties(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("update", ticket), {"status": "on_hold"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).status == "on_hold"
    assert "<html" not in html
    assert '<option value="on_hold" selected>' in html
    assert 'hx-swap-oob="innerHTML:#ticket-badges"' in html
    assert "Status: Open → On hold" in html


def test_history_shows_tags_joined_and_an_empty_value_as_a_dash(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    staff_client.post(_url("update", ticket), {"tags": "checkout, mobile"}, **HTMX)

    html = staff_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()

    assert "Tags: — → checkout, mobile" in html
    assert "[]" not in html
    assert "[&#x27;" not in html


def test_client_history_shows_labels_not_raw_values(
    staff_client: HttpClient, staff_user: User
) -> None:
    client = factories.ClientFactory(name="Bloom")
    client_update(client=client, actor=staff_user, active=False)

    html = staff_client.get(reverse("accounts:client_detail", args=[client.pk])).content.decode()

    assert "Active: Yes → No" in html


def test_inline_change_touches_only_the_posted_field(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    agent = factories.StaffFactory()
    department = factories.DepartmentFactory()
    Ticket.objects.filter(pk=ticket.pk).update(priority="urgent")

    staff_client.post(_url("update", ticket), {"assignee": agent.pk}, **HTMX)
    staff_client.post(_url("update", ticket), {"department": department.pk}, **HTMX)

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.department, ticket.priority) == (agent, department, "urgent")


def test_inline_change_can_unassign(staff_client: HttpClient, ticket: Ticket) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(assignee=factories.StaffFactory())

    staff_client.post(_url("update", ticket), {"assignee": ""}, **HTMX)

    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_inline_tags_change_replaces_the_tags(staff_client: HttpClient, ticket: Ticket) -> None:
    staff_client.post(_url("update", ticket), {"tags": "urgent, Billing"}, **HTMX)

    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "urgent"]


def test_inline_change_without_htmx_redirects_to_the_ticket(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("update", ticket), {"priority": "high"})

    assert response.status_code == 302
    assert response["Location"] == _url("detail", ticket)
    assert Ticket.objects.get(pk=ticket.pk).priority == "high"


def test_inline_change_to_an_invalid_value_is_refused_with_a_toast(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("update", ticket), {"status": "exploded"}, **HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toasts"
    assert "Status:" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_inline_change_needs_the_edit_permission(viewer_client: HttpClient, ticket: Ticket) -> None:
    response = viewer_client.post(_url("update", ticket), {"status": "closed"}, **HTMX)

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_inline_change_needs_the_view_permission_too(ticket: Ticket) -> None:
    client = HttpClient()
    client.force_login(factories.staff_with_permissions("tickets.edit"))

    response = client.post(_url("update", ticket), {"status": "closed"}, **HTMX)

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_inline_change_of_an_unknown_ticket_is_404(staff_client: HttpClient) -> None:
    response = staff_client.post(reverse("tickets:update", args=[424242]), {"status": "closed"})

    assert response.status_code == 404


# Replies and notes ---------------------------------------------------------------------------


def test_reply_is_appended_and_mailed_to_the_requester(
    staff_client: HttpClient, ticket: Ticket, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _url("reply", ticket), {"message": "Fixed, please check."}, **HTMX
        )

    reply = Reply.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="message staff" id="reply-{reply.pk}"')
    assert 'hx-swap-oob="innerHTML:#compose-reply"' in html
    assert (reply.message, reply.is_internal) == ("Fixed, please check.", False)
    assert Ticket.objects.get(pk=ticket.pk).status == "answered"
    assert [m.to for m in mail.outbox] == [["ada@client.example"]]
    assert "Fixed, please check." in mail.outbox[0].body


def test_reply_with_attachments_stores_them_on_the_reply(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    staff_client.post(
        _url("reply", ticket),
        {
            "message": "Logs attached.",
            "attachments": [SimpleUploadedFile("a.log", b"1"), SimpleUploadedFile("b.log", b"2")],
        },
        **HTMX,
    )

    reply = Reply.objects.get()
    assert sorted(reply.attachments.values_list("original_name", flat=True)) == [
        "a.log",
        "b.log",
    ]


def test_reply_without_htmx_redirects_to_the_reply(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("reply", ticket), {"message": "Done."})

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_url('detail', ticket)}#reply-{reply.pk}"


def test_empty_reply_shows_the_field_error_in_the_form(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("reply", ticket), {"message": "  "}, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#compose-reply"
    assert response.context["form"].errors["message"] == ["This field is required."]
    assert not Reply.objects.exists()


def test_empty_reply_without_htmx_rerenders_the_page_with_the_error(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    response = staff_client.post(_url("reply", ticket), {"message": ""})

    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert response.context["reply_form"].errors["message"] == ["This field is required."]


def test_oversized_reply_attachment_is_refused_with_413(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=None)
    mail.outbox.clear()

    response = staff_client.post(
        _url("reply", ticket),
        {"message": "Here", "attachments": [SimpleUploadedFile("big.bin", b"x" * 1_048_577)]},
        **HTMX,
    )

    assert response.status_code == 413
    assert "the limit is 1 MB per file" in response.content.decode()
    assert not Reply.objects.exists()
    assert not Attachment.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_reply_needs_the_edit_permission(viewer_client: HttpClient, ticket: Ticket) -> None:
    response = viewer_client.post(_url("reply", ticket), {"message": "Hi"})

    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_reply_to_an_unknown_ticket_is_404(staff_client: HttpClient) -> None:
    response = staff_client.post(reverse("tickets:reply", args=[424242]), {"message": "Hi"})

    assert response.status_code == 404


def test_note_is_stored_internal_and_mails_nobody(
    staff_client: HttpClient, ticket: Ticket, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_url("note", ticket), {"message": "Client is VIP."}, **HTMX)

    note = Reply.objects.get()
    html = response.content.decode()
    assert note.is_internal
    assert f'<article class="message internal" id="reply-{note.pk}"' in html
    assert 'hx-swap-oob="innerHTML:#compose-note"' in html
    assert mail.outbox == []
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_note_needs_the_edit_permission(viewer_client: HttpClient, ticket: Ticket) -> None:
    assert viewer_client.post(_url("note", ticket), {"message": "x"}).status_code == 403
    assert not Reply.objects.exists()


# Attachments ---------------------------------------------------------------------------------


@pytest.fixture
def with_files(staff_user: User) -> Ticket:
    return services.ticket_open(
        actor=staff_user,
        subject="Files",
        message="Attached.",
        source="staff",
        submitter_email="a@example.com",
        attachments=[
            SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html"),
            _png(),
        ],
    )


def test_non_image_attachment_downloads_as_opaque_bytes(
    staff_client: HttpClient, with_files: Ticket
) -> None:
    attachment = with_files.attachments.get(original_name="page.html")

    response = staff_client.get(reverse("tickets:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_image_attachment_is_shown_inline_with_its_type(
    staff_client: HttpClient, with_files: Ticket
) -> None:
    attachment = with_files.attachments.get(original_name="shot.png")

    response = staff_client.get(reverse("tickets:attachment", args=[attachment.pk]))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_thumbnail_is_404_until_it_is_made(staff_client: HttpClient, with_files: Ticket) -> None:
    attachment = with_files.attachments.get(original_name="shot.png")
    url = reverse("tickets:thumbnail", args=[attachment.pk])

    before = staff_client.get(url)
    thumbnails.attachment_thumbnail_make(attachment_id=attachment.pk)
    after = staff_client.get(url)

    assert before.status_code == 404
    assert after.status_code == 200
    assert after["Content-Type"] == "image/webp"
    assert after["X-Content-Type-Options"] == "nosniff"


def test_unknown_attachment_is_404(staff_client: HttpClient) -> None:
    assert staff_client.get(reverse("tickets:attachment", args=[999])).status_code == 404
    assert staff_client.get(reverse("tickets:thumbnail", args=[999])).status_code == 404


def test_attachment_needs_the_view_permission(
    outsider_client: HttpClient, with_files: Ticket
) -> None:
    attachment = with_files.attachments.first()

    response = outsider_client.get(reverse("tickets:attachment", args=[attachment.pk]))

    assert response.status_code == 403


def test_attachment_missing_from_storage_is_404(
    staff_client: HttpClient, with_files: Ticket
) -> None:
    attachment = with_files.attachments.first()
    attachment.file.storage.delete(attachment.file.name)

    response = staff_client.get(reverse("tickets:attachment", args=[attachment.pk]))

    assert response.status_code == 404
