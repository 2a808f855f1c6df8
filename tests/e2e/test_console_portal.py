"""The client portal in Chromium: a phone-sized screen, and replying from the keyboard."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories
from tests.e2e.browser import Console, wait_until
from tests.e2e.test_console import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tickets(contact: Contact) -> list[Ticket]:
    project = factories.ProjectFactory(client=contact.client, name="Online flower shop relaunch")
    return [
        factories.TicketFactory(
            contact=contact,
            project=project,
            status=status,
            subject="Checkout button hidden behind the cookie banner on mobile devices",
        )
        for status in (Ticket.Status.OPEN, Ticket.Status.ANSWERED, Ticket.Status.CLOSED)
    ]


@pytest.fixture
def phone(browser: Browser, contact: Contact, snagdesk: str) -> Page:
    context = browser.new_context(viewport=PHONE, locale="en-GB", device_scale_factor=1)
    context.set_default_timeout(15_000)
    assert contact.user is not None
    sign_in(context, contact.user, snagdesk)
    return context.new_page()


@pytest.mark.usefixtures("tickets")
def test_ticket_table_fits_a_phone_with_the_status_in_view(phone: Page, snagdesk: str) -> None:
    phone.goto(f"{snagdesk}/portal/tickets/")
    if path := os.environ.get("SNAGDESK_SCREENSHOT"):
        phone.screenshot(path=path, full_page=True)

    statuses = phone.locator("td[data-label='Status']")
    assert statuses.count() == 3
    for index in range(3):
        box = statuses.nth(index).bounding_box()
        assert box is not None
        assert statuses.nth(index).is_visible()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_portal_reply_sent_with_ctrl_enter_takes_the_focus(
    page: Page, contact: Contact, tickets: list[Ticket], snagdesk: str, console: Console
) -> None:
    ticket = tickets[0]
    assert contact.user is not None
    sign_in(page.context, contact.user, snagdesk)
    page.goto(f"{snagdesk}/portal/tickets/{ticket.number}/")
    box = page.locator("#reply-form textarea")
    box.fill("Still broken on my phone.")

    box.press("Control+Enter")

    reply = wait_until(lambda: Reply.objects.filter(ticket=ticket).first(), what="the reply")
    expect(page.locator(f"#reply-{reply.pk}")).to_be_focused()
    assert page.locator("#toasts").inner_text().strip() == "Reply sent."
    assert not console.errors


def test_portal_skip_link_is_the_first_stop_and_moves_to_the_content(
    page: Page, contact: Contact, snagdesk: str
) -> None:
    assert contact.user is not None
    sign_in(page.context, contact.user, snagdesk)
    page.goto(f"{snagdesk}/portal/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.is_visible()
    page.keyboard.press("Enter")

    expect(page.locator("#main")).to_be_focused()
