from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import Console, HostSite, Widget
from tests.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_visitor_signs_in_through_the_popup_and_the_ticket_is_filed_under_them(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    make_token: Callable[..., WidgetToken],
    contact: Contact,
    console: Console,
) -> None:
    token = make_token(require_login=True)
    page.goto(host_site.page("shop.html", snagdesk=snagdesk, token=token.key))
    widget.trigger.click()

    with page.expect_popup() as opened:
        widget.dialog.get_by_role("button", name="Sign in to continue").click()
    popup = opened.value
    popup.get_by_label("Email").fill(contact.email)
    popup.get_by_label("Password").fill(PASSWORD)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Sign in").click()

    widget.dialog.get_by_text("Signed in as Ada Client").wait_for()
    widget.fill("Invoices page is blank", "The invoices page shows nothing since this morning.")
    widget.send()
    reference = widget.sent_reference()

    ticket = Ticket.objects.get()
    assert reference == f"#{ticket.number}", console
    assert ticket.contact == contact
    assert ticket.client == contact.client
    assert ticket.project == token.project
    assert (ticket.submitter_name, ticket.submitter_email) == ("", "")


def test_a_dutch_contact_gets_the_widget_in_dutch_after_signing_in_on_an_english_page(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    make_token: Callable[..., WidgetToken],
    contact: Contact,
    console: Console,
) -> None:
    contact.language = "nl"
    contact.save()
    token = make_token(require_login=True)
    page.goto(host_site.page("shop.html", snagdesk=snagdesk, token=token.key))
    widget.trigger.click()
    frame = widget.root.locator("div[lang]").first
    assert frame.get_attribute("lang") == "en", console

    with page.expect_popup() as opened:
        widget.dialog.get_by_role("button", name="Sign in to continue").click()
    popup = opened.value
    popup.get_by_label("Email").fill(contact.email)
    popup.get_by_label("Password").fill(PASSWORD)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Sign in").click()

    dutch = Widget(page, "nl")
    # The `nl` catalogue's own strings, and the dialog root in Dutch.
    dutch.dialog.get_by_text("Ingelogd als Ada Client").wait_for()
    assert dutch.dialog.get_by_role("heading", name="Probleem melden").is_visible(), console
    assert dutch.dialog.get_by_label("Onderwerp").is_visible()
    assert (frame.get_attribute("lang"), frame.get_attribute("dir")) == ("nl", "ltr")

    # The next page in this tab uses the stored session: Dutch from the start.
    page.reload()
    dutch.open()
    assert frame.get_attribute("lang") == "nl", console
    dutch.dialog.get_by_text("Ingelogd als Ada Client").wait_for()
