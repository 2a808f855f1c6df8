"""Snagdesk's own pages under their Content-Security-Policy, in Chromium: the console, the
portal and the API docs work and the browser reports no violation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client as HttpClient

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.tickets.models import Ticket
from tests import factories
from tests.e2e.browser import Console

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e

# Collects every CSP violation of the page from its very start (init scripts are not
# subject to the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
    {directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
     line: e.lineNumber, sample: e.sample}));
"""


def _sign_in(context: BrowserContext, user: User, snagdesk: str) -> None:
    client = HttpClient()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": snagdesk}])


def _open(page: Page, url: str) -> Any:
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response


def _violations(page: Page) -> list[dict[str, Any]]:
    # A violation is reported asynchronously: let the page settle first.
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def _errors(console: Console) -> list[str]:
    """What the page's scripts and headers got wrong: all console errors but a missing
    resource (Chromium asks for /favicon.ico, which Snagdesk does not serve)."""
    return [error for error in console.errors if not error.startswith("Failed to load resource")]


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.AdminFactory()


@pytest.fixture
def ticket(contact: Contact) -> Ticket:
    return factories.TicketFactory(client=contact.client, contact=contact, subject="Slow cart")


def test_the_console_ticket_page_runs_under_its_policy(
    page: Page,
    context: BrowserContext,
    snagdesk: str,
    staff: User,
    ticket: Ticket,
    console: Console,
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/tickets/{ticket.number}/")

    page.get_by_role("heading", name="Slow cart").wait_for()
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_the_ticket_list_selects_every_row_under_its_policy(
    page: Page,
    context: BrowserContext,
    snagdesk: str,
    staff: User,
    ticket: Ticket,
    console: Console,
) -> None:
    factories.TicketFactory(client=ticket.client)
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/tickets/")

    page.get_by_label("Select every ticket on this page").check()

    boxes = page.locator("input[name=tickets]")
    assert boxes.count() == 2
    assert all(boxes.nth(i).is_checked() for i in range(2))
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_the_ticket_filters_apply_on_change_under_their_policy(
    page: Page,
    context: BrowserContext,
    snagdesk: str,
    staff: User,
    ticket: Ticket,
    console: Console,
) -> None:
    factories.TicketFactory(client=ticket.client, subject="Old bug", status=Ticket.Status.CLOSED)
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/tickets/")

    page.locator("#filters").get_by_label("Closed", exact=True).check()

    page.wait_for_url("**/tickets/?*status=closed*")
    page.locator("#results").get_by_text("Old bug").wait_for()
    assert page.locator("#results").get_by_text("Slow cart").count() == 0
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_the_dashboard_runs_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, staff: User, console: Console
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/")

    page.get_by_role("heading", name="Recent activity").wait_for()
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_the_widget_settings_preview_draws_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, staff: User, console: Console
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/website-support/settings/")

    page.locator("#id_accent_color").fill("#ff0066")
    page.locator("#id_accent_color").dispatch_event("input")

    accent = page.locator("#widget-preview").evaluate(
        "frame => getComputedStyle(frame).getPropertyValue('--wsp-accent').trim()"
    )
    assert accent == "#ff0066"
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_the_portal_runs_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, contact: Contact, ticket: Ticket
) -> None:
    assert contact.user is not None
    _sign_in(context, contact.user, snagdesk)
    _open(page, f"{snagdesk}/portal/tickets/")

    page.get_by_text("Slow cart").first.wait_for()
    assert _violations(page) == []


def test_swagger_ui_runs_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, staff: User, console: Console
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/api/docs/")

    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert _violations(page) == [], console
    assert _errors(console) == []


def test_redoc_runs_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, staff: User, console: Console
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/api/redoc/")

    page.get_by_role("heading", name="Snagdesk staff API").first.wait_for()
    # Redoc always shows Redocly's logo from its CDN: the policy blocks it, and Redoc
    # then leaves it out (it hides the image when it fails to load).
    blocked = [v["blocked"] for v in _violations(page)]
    assert blocked in ([], ["https://cdn.redoc.ly/redoc/logo-mini.svg"]), console
    assert page.get_by_alt_text("redocly logo").count() == 0
    assert [error for error in _errors(console) if "cdn.redoc.ly" not in error] == []


def test_the_browsable_api_runs_under_its_policy(
    page: Page, context: BrowserContext, snagdesk: str, staff: User, ticket: Ticket
) -> None:
    _sign_in(context, staff, snagdesk)
    _open(page, f"{snagdesk}/api/v1/tickets/")

    page.get_by_text("Slow cart").first.wait_for()
    assert _violations(page) == []
