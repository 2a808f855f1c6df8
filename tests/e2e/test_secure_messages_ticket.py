"""A secure message inserted into a ticket reply, in Chromium: staff encrypt it from the
reply form, only its link goes into the reply (nothing the browser sends carries the
secret's text), and the contact's portal shows the link as a card that opens it."""

from __future__ import annotations

import base64
import re
import secrets
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.secure_messages import services
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories
from tests.e2e.browser import AXE, Console, wait_until
from tests.e2e.test_axe_pages import COLOUR_RULES, RUN_AXE
from tests.e2e.test_console import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

pytestmark = pytest.mark.e2e

SECRET = "FTP password: c0rrect-h0rse-battery-staple"


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.staff_with_permissions(
        "tickets.view", "tickets.edit", "secure_messages.create"
    )


@pytest.fixture
def ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(contact=contact, subject="We need the FTP access")


@pytest.fixture
def sent(page: Page) -> list[dict[str, Any]]:
    """Everything the staff page sends: URL, headers and body of each request."""
    captured: list[dict[str, Any]] = []

    def capture(request: Request) -> None:
        body = request.post_data_buffer or b""
        captured.append({"url": request.url, "headers": request.headers, "body": body})

    page.on("request", capture)
    return captured


def _secret_link(snagdesk: str, *, burn: bool) -> tuple[SecureMessage, str]:
    """A secret stored as the browser leaves it (its bytes need not decrypt here)."""
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
        expiry="7d",
        burn_after_reading=burn,
    )
    return message, f"{snagdesk}/s/{message.pk}#{_b64(secrets.token_bytes(32))}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _link(snagdesk: str) -> re.Pattern[str]:
    return re.compile(re.escape(snagdesk) + r"/s/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{43})")


def test_staff_insert_a_secure_message_and_the_contact_portal_shows_its_card(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    staff: User,
    contact: Contact,
    ticket: Ticket,
    snagdesk: str,
    sent: list[dict[str, Any]],
    console: Console,
) -> None:
    sign_in(context, staff, snagdesk)
    page.goto(f"{snagdesk}/tickets/{ticket.number}/")
    box = page.locator("#reply_message")
    box.fill("Here is the access you asked for: ")

    page.get_by_text("Insert a secure message").click()
    page.get_by_label("Secret", exact=True).fill(SECRET)
    page.get_by_role("button", name="Encrypt and insert the link").click()

    expect(page.locator("[data-secret-tool-status]")).to_have_text(
        "The link is in your reply. Send the reply to share it."
    )
    written = box.input_value()
    found = _link(snagdesk).search(written)
    assert found, written
    link, secret_id, key = found.group(0), found.group(1), found.group(2)
    assert written == f"Here is the access you asked for: {link}"
    expect(box).to_be_focused()
    assert page.get_by_label("Secret", exact=True).input_value() == ""
    stored = SecureMessage.objects.get(pk=secret_id)
    assert stored.client == ticket.client
    assert stored.created_by == staff
    assert stored.note == f"Ticket #{ticket.number}"
    assert stored.burn_after_reading

    page.get_by_role("button", name="Send reply").click()

    reply = wait_until(lambda: Reply.objects.filter(ticket=ticket).first(), what="the reply")
    assert reply.message == written
    expect(page.locator(f"#reply-{reply.pk} .secret-card")).to_contain_text("Opens once")
    posts = [r for r in sent if r["body"]]
    assert any(f"/tickets/{ticket.number}/reply/" in r["url"] for r in posts)
    assert any(link.encode() in r["body"] for r in posts)
    [created] = [r for r in posts if r["url"].endswith("/api/v1/secure-messages/")]
    assert key.encode() not in created["body"]
    for request in sent:
        seen = request["url"] + repr(request["headers"]) + request["body"].decode("latin-1")
        assert SECRET not in seen, request["url"]
        assert "c0rrect-h0rse" not in seen, request["url"]
    envelope = SecretContent.objects.get(message_id=secret_id).envelope
    assert SECRET not in repr(envelope)
    assert not console.errors

    # The fresh form the reply brought back has the tool again, bound once.
    page.get_by_text("Insert a secure message").click()
    page.get_by_label("Secret", exact=True).fill("Another one")
    page.get_by_role("button", name="Encrypt and insert the link").click()
    expect(box).to_have_value(_link(snagdesk))
    assert SecureMessage.objects.count() == 2

    portal = browser.new_context(locale="en-GB")
    portal.set_default_timeout(15_000)
    assert contact.user is not None
    sign_in(portal, contact.user, snagdesk)
    thread = portal.new_page()
    thread.goto(f"{snagdesk}/portal/tickets/{ticket.number}/")
    card = thread.locator(f"#reply-{reply.pk} .secret-card")
    expect(card).to_contain_text("Secure message")
    expect(card).to_contain_text("Opens once")
    expect(thread.locator(f"#reply-{reply.pk} .body")).to_have_text(written)
    opening = card.get_by_role("link", name="Open the secure message")
    assert opening.get_attribute("href") == link

    with thread.expect_popup() as popup:
        opening.click()
    revealed = popup.value
    revealed.get_by_role("button", name="Reveal the secret").click()
    expect(revealed.locator("[data-secret-text]")).to_have_value(SECRET)
    portal.close()


def test_enter_in_the_tool_inserts_the_link_and_sends_no_reply(
    page: Page, context: BrowserContext, staff: User, ticket: Ticket, snagdesk: str
) -> None:
    sign_in(context, staff, snagdesk)
    page.goto(f"{snagdesk}/tickets/{ticket.number}/")
    box = page.locator("#reply_message")
    box.fill("Before  after")
    box.evaluate("node => node.setSelectionRange(7, 7)")
    summary = page.get_by_text("Insert a secure message")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type(SECRET)
    page.keyboard.press("Control+Enter")

    expect(box).to_have_value(_link(snagdesk))
    assert re.fullmatch(r"Before (\S+) after", box.input_value())
    page.get_by_text("Insert a secure message").click()
    page.get_by_label("Secret", exact=True).fill("A second secret")
    page.get_by_label("Password (optional)").fill("swordfish")
    page.get_by_label("Password (optional)").press("Enter")

    wait_until(lambda: SecureMessage.objects.count() == 2, what="the second secret")
    expect(box).to_have_value(re.compile(r"^Before \S+ \S+ after$"))
    assert SecureMessage.objects.filter(has_password=True).count() == 1
    page.wait_for_timeout(300)
    assert not Reply.objects.filter(ticket=ticket).exists()


def test_the_open_tool_and_the_cards_pass_axe_in_both_colour_schemes(
    page: Page, context: BrowserContext, staff: User, contact: Contact, snagdesk: str
) -> None:
    if not AXE.exists():
        pytest.skip(f"needs axe-core at {AXE}: run `cd widget && npm ci`")
    context.add_init_script(path=AXE)
    ticket = factories.TicketFactory(contact=contact)
    _keep, keep_link = _secret_link(snagdesk, burn=False)
    _burn, burn_link = _secret_link(snagdesk, burn=True)
    factories.ReplyFactory(
        ticket=ticket, message=f"{keep_link}\n{burn_link}\n{snagdesk}/s/{'A' * 22}"
    )
    sign_in(context, staff, snagdesk)
    findings: dict[str, Any] = {}

    page.goto(f"{snagdesk}/tickets/{ticket.number}/")
    page.get_by_text("Insert a secure message").click()
    expect(page.locator(".secret-card")).to_have_count(3)
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        page.emulate_media(color_scheme=scheme)
        if violations := page.evaluate(RUN_AXE, rules):
            findings[f"staff ({scheme})"] = violations
    context.clear_cookies()
    assert contact.user is not None
    sign_in(context, contact.user, snagdesk)
    page.goto(f"{snagdesk}/portal/tickets/{ticket.number}/")
    expect(page.locator(".secret-card")).to_have_count(3)
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        page.emulate_media(color_scheme=scheme)
        if violations := page.evaluate(RUN_AXE, rules):
            findings[f"portal ({scheme})"] = violations

    assert findings == {}
