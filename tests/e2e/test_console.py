"""The staff console in Chromium: keyboard use of the ticket page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as HttpClient
from playwright.sync_api import expect

from snagdesk_server.accounts.models import User
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets.models import Reply, Ticket
from tests import factories
from tests.e2e.browser import Console, wait_until

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

pytestmark = pytest.mark.e2e


def sign_in(context: BrowserContext, user: User, url: str) -> None:
    """Give the browser the session cookie of ``user``, as if they had signed in."""
    client = HttpClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.StaffFactory(full_name="Sam Staff")


@pytest.fixture
def ticket(staff: User) -> Ticket:
    contact = factories.PortalContactFactory()
    return factories.TicketFactory(contact=contact, subject="Checkout is broken")


@pytest.fixture
def ticket_page(
    page: Page, context: BrowserContext, staff: User, ticket: Ticket, snagdesk: str
) -> Page:
    sign_in(context, staff, snagdesk)
    page.goto(f"{snagdesk}/tickets/{ticket.number}/")
    return page


def _updates(ticket: Ticket) -> Any:
    return AuditEntry.objects.filter(object_id=str(ticket.pk), action="ticket.update")


def test_stepping_through_statuses_with_arrows_saves_once_on_tab(
    ticket_page: Page, ticket: Ticket, console: Console
) -> None:
    status = ticket_page.locator("#prop_status")
    status.focus()
    for _ in range(3):
        status.press("ArrowDown")
    ticket_page.wait_for_timeout(300)
    assert not _updates(ticket).exists()

    status.press("Tab")

    wait_until(lambda: _updates(ticket).exists(), what="the status change")
    ticket_page.wait_for_load_state("networkidle")
    ticket.refresh_from_db()
    third = Ticket.Status.values[Ticket.Status.values.index("open") + 3]
    assert ticket.status == third
    assert [entry.changes for entry in _updates(ticket)] == [{"status": ["open", third]}]
    assert not console.errors


def test_stepping_through_assignees_with_arrows_mails_only_the_one_chosen_with_enter(
    ticket_page: Page, ticket: Ticket, staff: User, console: Console
) -> None:
    colleagues = [factories.StaffFactory(full_name=f"Colleague {n}") for n in range(3)]
    ticket_page.reload()
    mail.outbox.clear()
    assignee = ticket_page.locator("#prop_assignee")
    assignee.focus()
    for _ in range(3):
        assignee.press("ArrowDown")
    chosen = User.objects.get(pk=assignee.input_value())

    assignee.press("Enter")

    wait_until(lambda: _updates(ticket).exists(), what="the assignment")
    ticket_page.wait_for_load_state("networkidle")
    ticket.refresh_from_db()
    assert ticket.assignee == chosen
    assert _updates(ticket).count() == 1
    assert [m.to for m in mail.outbox] == ([[chosen.email]] if chosen != staff else [])
    assert chosen in [*colleagues, staff]
    assert not console.errors


def test_choosing_a_priority_with_the_mouse_saves_it_at_once(
    ticket_page: Page, ticket: Ticket
) -> None:
    ticket_page.locator("#prop_priority").select_option("urgent")

    wait_until(lambda: _updates(ticket).exists(), what="the priority change")
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"


def test_ctrl_enter_sends_the_reply_then_focus_goes_to_it_and_it_is_announced(
    ticket_page: Page, ticket: Ticket, console: Console
) -> None:
    box = ticket_page.locator("#reply_message")
    box.fill("We are on it.")

    box.press("Control+Enter")

    reply = wait_until(lambda: Reply.objects.filter(ticket=ticket).first(), what="the reply")
    focused = ticket_page.locator(f"#reply-{reply.pk}")
    focused.wait_for()
    expect(ticket_page.locator(f"#reply-{reply.pk}")).to_be_focused()
    assert ticket_page.locator("#toasts").inner_text().strip() == "Reply sent."
    assert ticket_page.locator("#toasts").get_attribute("aria-live") == "polite"
    assert ticket_page.locator("#reply_message").input_value() == ""
    assert not console.errors


def test_cmd_enter_adds_the_internal_note(ticket_page: Page, ticket: Ticket) -> None:
    ticket_page.get_by_text("Add an internal note").click()
    box = ticket_page.locator("#note_message")
    box.fill("Rolling back the plugin on staging first.")

    box.press("Meta+Enter")

    note = wait_until(lambda: Reply.objects.filter(ticket=ticket).first(), what="the note")
    assert note.is_internal
    expect(ticket_page.locator(f"#reply-{note.pk}")).to_be_focused()
    assert ticket_page.locator("#toasts").inner_text().strip() == "Internal note added."


def test_skip_link_is_the_first_stop_and_moves_to_the_content(ticket_page: Page) -> None:
    ticket_page.keyboard.press("Tab")
    skip = ticket_page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("node => node === document.activeElement")
    assert skip.is_visible()

    ticket_page.keyboard.press("Enter")

    expect(ticket_page.locator("#main")).to_be_focused()


def _tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def test_a_ticket_is_found_opened_and_answered_with_the_keyboard_alone(
    page: Page, context: BrowserContext, staff: User, ticket: Ticket, snagdesk: str
) -> None:
    sign_in(context, staff, snagdesk)
    page.goto(f"{snagdesk}/")

    sidebar = page.get_by_role("navigation", name="Modules")
    _tab_to(page, sidebar.get_by_role("link", name="Tickets"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{snagdesk}/tickets/")
    _tab_to(page, page.get_by_role("link", name="Checkout is broken"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{snagdesk}/tickets/{ticket.number}/")
    _tab_to(page, page.get_by_role("textbox", name="Message"))
    page.keyboard.type("Fixed: the payment plugin is updated.")
    _tab_to(page, page.get_by_role("button", name="Send reply"), limit=3)
    page.keyboard.press("Enter")

    reply = wait_until(lambda: Reply.objects.filter(ticket=ticket).first(), what="the reply")
    assert reply.message == "Fixed: the payment plugin is updated."
    assert reply.author == staff
    expect(page.locator(f"#reply-{reply.pk}")).to_be_focused()
