from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.selectors import widget_token_forget
from tests.e2e.browser import Console, HostSite, Widget, wait_until

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e

# Long enough for a second, duplicate delivery (a retry timer, a page load) to land.
SETTLE_SECONDS = 3


def _queue_offline(page: Page, widget: Widget, url: str) -> None:
    """Fill in a report, lose the network, send it: the widget keeps it for later."""
    page.goto(url)
    widget.open()
    widget.fill("Checkout times out", "The payment page spins for a minute, then fails.")
    widget.wait_for_screenshot()
    page.context.set_offline(True)
    widget.send()
    widget.dialog.get_by_text("You seem to be offline").wait_for()


def _stored_queue(page: Page, token: WidgetToken) -> list[Any]:
    """The reports the widget keeps in localStorage for ``token``."""
    stored = page.evaluate("(key) => localStorage.getItem(key)", f"snagdesk:queue:{token.key}")
    return json.loads(stored or "[]")


def test_report_sent_offline_is_filed_once_when_back_online(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    _queue_offline(
        page, widget, host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key)
    )
    assert not Ticket.objects.exists()
    assert _stored_queue(page, widget_token)

    page.context.set_offline(False)

    wait_until(Ticket.objects.exists, what="the queued report to be filed")
    widget.sent_reference()
    time.sleep(SETTLE_SECONDS)
    assert Ticket.objects.count() == 1, console
    assert Ticket.objects.get().attachments.count() == 1
    assert _stored_queue(page, widget_token) == []


def test_report_sent_offline_is_filed_once_when_the_page_reloads_as_it_comes_online(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    url = host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key)
    _queue_offline(page, widget, url)

    # The old page may send it (its "online" event) before it unloads, or not; then the
    # new page sends whatever is still queued, once more when it sees the network return.
    page.context.set_offline(False)
    page.reload()
    widget.trigger.wait_for()
    page.context.set_offline(True)
    page.context.set_offline(False)

    wait_until(lambda: _stored_queue(page, widget_token) == [], what="the queue to empty")
    time.sleep(SETTLE_SECONDS)
    assert Ticket.objects.count() == 1, console


def test_report_queued_in_a_closed_page_is_filed_from_the_next_page(
    context: BrowserContext,
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    url = host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key)
    _queue_offline(page, widget, url)
    page.close()
    context.set_offline(False)

    later = context.new_page()
    later.goto(url)

    # Sent by the retry timer the new page starts (the first retry waits 5 to 10 s).
    wait_until(Ticket.objects.exists, timeout=20, what="the queued report to be filed")
    wait_until(lambda: _stored_queue(later, widget_token) == [], what="the queue to empty")
    assert Ticket.objects.count() == 1, console
    assert Ticket.objects.get().attachments.count() == 1


def _token_set_active(token: WidgetToken, *, active: bool) -> None:
    WidgetToken.objects.filter(pk=token.pk).update(is_active=active)
    widget_token_forget(key=token.key)


def test_report_queued_for_a_disabled_token_waits_in_the_browser_until_it_is_enabled(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    url = host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key)
    _queue_offline(page, widget, url)
    _token_set_active(widget_token, active=False)

    page.context.set_offline(False)  # the queue retries at once, and is refused
    wait_until(
        lambda: [entry["attempts"] for entry in _stored_queue(page, widget_token)] == [2],
        what="the refused retry to stay queued",
    )
    with page.expect_console_message(lambda m: m.type == "warning") as warning:
        page.reload()
    said = "Snagdesk widget disabled: token_disabled. This widget is disabled."
    assert warning.value.text == said
    assert widget.trigger.count() == 0
    assert len(_stored_queue(page, widget_token)) == 1
    assert not Ticket.objects.exists()

    _token_set_active(widget_token, active=True)
    page.reload()

    wait_until(Ticket.objects.exists, timeout=20, what="the queued report to be filed")
    wait_until(lambda: _stored_queue(page, widget_token) == [], what="the queue to empty")
    assert Ticket.objects.count() == 1, console


def test_report_sent_as_its_token_is_disabled_is_kept_and_said_to_be_paused(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
) -> None:
    page.goto(host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key))
    widget.open()
    widget.fill("Checkout times out", "The payment page spins for a minute, then fails.")
    widget.wait_for_screenshot()
    _token_set_active(widget_token, active=False)

    widget.send()

    widget.dialog.get_by_text("This form is paused at the moment.").wait_for()
    assert len(_stored_queue(page, widget_token)) == 1
    assert not Ticket.objects.exists()
