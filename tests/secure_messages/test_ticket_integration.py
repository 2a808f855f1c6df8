"""Secure messages in tickets, through the module registry: the reply form's "Insert a
secure message" tool, and the card the staff and the portal thread show below a
message that holds a secure link (the message text itself stays escaped)."""

from __future__ import annotations

import base64
import re
import secrets
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.config import settings_save
from snagdesk_server.secure_messages import services
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db

TOOL = "Insert a secure message"
CARD = 'class="link-card secret-card"'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _secret(*, burn: bool = True, expiry: str = "7d", **fields: Any) -> tuple[SecureMessage, str]:
    """A secret as the browser leaves it (the envelope's bytes need not decrypt here),
    and its link with the key."""
    message = services.secure_message_create(
        actor=factories.StaffFactory(),
        id=_b64(secrets.token_bytes(16)),
        kind="message",
        verifier=_b64(secrets.token_bytes(32)),
        envelope={
            "v": 1,
            "alg": "A256GCM",
            "kdf": "none",
            "iv": _b64(secrets.token_bytes(12)),
            "ct": _b64(secrets.token_bytes(40)),
        },
        expiry=expiry,
        burn_after_reading=burn,
        **fields,
    )
    key = _b64(secrets.token_bytes(32))
    return message, f"{settings.SITE_URL.rstrip('/')}/s/{message.pk}#{key}"


def _staff(*codes: str) -> HttpClient:
    client = HttpClient()
    client.force_login(factories.staff_with_permissions(*codes))
    return client


def _compose(page: str, kind: str) -> str:
    start = page.index(f'<div id="compose-{kind}">')
    return page[start : page.index("</form>", start)]


def _tool(page: str) -> str:
    start = page.index('<div class="secret-tool"')
    return page[start : page.index("</details>", start)]


def _cards(page: str) -> list[str]:
    return re.findall(r'<aside class="link-card secret-card".*?</aside>', page, re.DOTALL)


@pytest.fixture
def ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(contact=contact, number=5150)


def _portal_page(portal_client: HttpClient, ticket: Ticket) -> str:
    return portal_client.get(reverse("portal:ticket_detail", args=[ticket.number])).content.decode()


def _staff_page(client: HttpClient, ticket: Ticket) -> str:
    return client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()


# The reply tool ------------------------------------------------------------------------------


def test_the_reply_form_offers_a_secure_message_to_staff_who_may_create_one(
    ticket: Ticket,
) -> None:
    allowed = _staff_page(_staff("tickets.view", "tickets.edit", "secure_messages.create"), ticket)
    denied = _staff_page(_staff("tickets.view", "tickets.edit"), ticket)

    assert TOOL in _compose(allowed, "reply")
    assert TOOL not in _compose(allowed, "note")
    assert TOOL not in denied


def test_the_reply_tool_posts_to_the_staff_api_for_the_ticket_client(ticket: Ticket) -> None:
    page = _staff_page(_staff("tickets.view", "tickets.edit", "secure_messages.create"), ticket)

    tool = _tool(page)
    assert f'data-endpoint="{reverse("api_v1:secure-messages-list")}"' in tool
    assert f'data-client="{ticket.client_id}"' in tool
    assert 'data-note="Ticket #5150"' in tool


def test_the_reply_tool_fields_have_no_name_so_the_reply_never_posts_the_secret(
    ticket: Ticket,
) -> None:
    page = _staff_page(_staff("tickets.view", "tickets.edit", "secure_messages.create"), ticket)

    tool = _tool(page)
    assert len(re.findall(r"<(?:input|textarea|select)\b", tool)) == 4
    assert " name=" not in tool
    assert "<form" not in tool


def test_the_reply_tool_proposes_the_configured_expiry_and_burn(ticket: Ticket) -> None:
    staff = factories.staff_with_permissions(
        "tickets.view", "tickets.edit", "secure_messages.create"
    )
    settings_save(
        SecureMessageSettings,
        values={"default_expiry": "1d", "default_burn_after_reading": False},
        actor=factories.AdminFactory(),
    )
    client = HttpClient()
    client.force_login(staff)

    tool = _tool(_staff_page(client, ticket))
    assert '<option value="1d" selected>' in tool
    assert 'data-secret-input="burn">' in tool
    assert 'data-secret-input="burn" checked>' not in tool


def test_the_fresh_reply_form_after_a_reply_brings_the_tool_back(ticket: Ticket) -> None:
    staff = _staff("tickets.view", "tickets.edit", "secure_messages.create")

    response = staff.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"message": "Coming up."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert TOOL in response.content.decode()


# The card -------------------------------------------------------------------------------------


def test_a_reply_with_a_secure_link_shows_a_card_in_the_portal_thread(
    ticket: Ticket, portal_client: HttpClient
) -> None:
    _message, link = _secret(burn=True)
    factories.ReplyFactory(ticket=ticket, message=f"Your FTP password:\n{link}\nRegards")

    page = _portal_page(portal_client, ticket)

    assert f'<div class="body">Your FTP password:\n{link}\nRegards</div>' in page
    [card] = _cards(page)
    assert "Secure message" in card
    assert "Opens once" in card
    assert (
        f'<a class="button secondary" href="{link}" target="_blank" rel="noopener noreferrer">Open'
        in card
    )


def test_showing_the_card_consumes_nothing(ticket: Ticket, portal_client: HttpClient) -> None:
    message, link = _secret(burn=True)
    factories.ReplyFactory(ticket=ticket, message=link)

    _portal_page(portal_client, ticket)
    _staff_page(_staff("tickets.view"), ticket)

    message.refresh_from_db()
    assert message.read_count == 0
    assert SecretContent.objects.filter(message=message).exists()


def test_the_staff_thread_card_warns_that_opening_it_destroys_it(ticket: Ticket) -> None:
    _message, link = _secret(burn=True)
    factories.ReplyFactory(ticket=ticket, message=link)

    [card] = _cards(_staff_page(_staff("tickets.view"), ticket))

    assert "Opens once: opening it here destroys it for the recipient." in card


def test_a_secret_kept_until_it_expires_says_until_when(
    ticket: Ticket, portal_client: HttpClient
) -> None:
    _message, link = _secret(burn=False, expiry="3d")
    factories.ReplyFactory(ticket=ticket, message=link)

    [card] = _cards(_portal_page(portal_client, ticket))

    assert "Can be opened again until" in card
    assert "Opens once" not in card


def test_a_secure_link_in_the_opening_message_gets_its_card_too(
    contact: Contact, portal_client: HttpClient
) -> None:
    _message, link = _secret()
    ticket = factories.TicketFactory(contact=contact, message=f"Here: {link}")

    assert len(_cards(_portal_page(portal_client, ticket))) == 1
    assert len(_cards(_staff_page(_staff("tickets.view"), ticket))) == 1


def test_a_revoked_or_expired_secret_card_says_the_link_no_longer_works(
    ticket: Ticket, portal_client: HttpClient
) -> None:
    revoked, revoked_link = _secret()
    services.secure_message_revoke(message=revoked, actor=revoked.created_by)
    _expired, expired_link = _secret(expiry="1d")
    factories.ReplyFactory(ticket=ticket, message=f"{revoked_link} and {expired_link}")

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        cards = _cards(_portal_page(portal_client, ticket))

    assert len(cards) == 2
    for card in cards:
        assert "This link no longer works" in card
        assert "href=" not in card


def test_script_around_a_secure_link_stays_escaped(
    ticket: Ticket, portal_client: HttpClient
) -> None:
    _message, link = _secret()
    text = f'<script>alert(1)</script>{link}"><img src=x onerror=alert(2)><script>x</script>'
    factories.ReplyFactory(ticket=ticket, message=text)

    page = _portal_page(portal_client, ticket)

    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert (
        f"&lt;script&gt;alert(1)&lt;/script&gt;{link}&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
        "&lt;script&gt;x&lt;/script&gt;"
    ) in page
    [card] = _cards(page)
    assert f'href="{link}"' in card


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/s/{id}#{key}",
        "{site}/s/{id}x#{key}",
        "{site}/s/{id}/answer#{key}",
        "{site}/secure-messages/{id}/",
        "{site}/s/short#{key}",
    ],
)
def test_a_link_that_is_not_a_secure_message_gets_no_card(
    ticket: Ticket, portal_client: HttpClient, link: str
) -> None:
    message, _link = _secret()
    text = link.format(site=settings.SITE_URL.rstrip("/"), id=message.pk, key="k" * 43)
    factories.ReplyFactory(ticket=ticket, message=f"See {text}")

    assert _cards(_portal_page(portal_client, ticket)) == []
    assert _cards(_staff_page(_staff("tickets.view"), ticket)) == []


def test_an_internal_note_with_a_secure_link_stays_out_of_the_portal(
    ticket: Ticket, portal_client: HttpClient
) -> None:
    _message, link = _secret()
    factories.ReplyFactory(ticket=ticket, message=link, is_internal=True)

    assert _cards(_portal_page(portal_client, ticket)) == []
    assert len(_cards(_staff_page(_staff("tickets.view"), ticket))) == 1
