from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from snagdesk_server.accounts.models import Contact
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import VIEWPORT, Console, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_submission_with_screenshot_files_a_widget_ticket_with_browser_info(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    url = host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key)
    page.goto(url)
    widget.open()
    widget.fill("The basket button does nothing", "I click “Add to basket” and nothing happens.")
    widget.wait_for_screenshot()

    widget.send()

    reference = widget.sent_reference()
    ticket = Ticket.objects.select_related("browser_info").get()
    assert reference == f"#{ticket.number}", console
    assert ticket.source == Ticket.Source.WIDGET
    assert ticket.subject == "The basket button does nothing"
    assert ticket.project == widget_token.project
    assert ticket.client == widget_token.project.client
    assert ticket.contact == widget_token.default_contact
    attachment = ticket.attachments.get()
    assert attachment.is_image
    with attachment.file.open("rb") as fh, Image.open(fh) as image:
        assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
    info = ticket.browser_info
    assert info.page_url == url
    assert info.page_title == "Acme Shop — Tents"
    assert (info.viewport_width, info.viewport_height) == (VIEWPORT["width"], VIEWPORT["height"])
    assert (info.screen_width, info.screen_height) == (VIEWPORT["width"], VIEWPORT["height"])
    assert info.device_pixel_ratio == 1
    assert info.language == "en-GB"
    assert info.time_zone == "Europe/London"
    assert "Chrome" in info.user_agent
    assert info.extra["screenshot_engine"]


def test_snippet_on_an_origin_the_token_does_not_allow_is_refused(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    make_token: Callable[..., WidgetToken],
    contact: Contact,
) -> None:
    token = make_token(allowed_origins=["https://shop.client.example"], default_contact=contact)
    url = host_site.page("shop.html", snagdesk=snagdesk, token=token.key)
    api = f"{snagdesk}/api/widget/v1/submissions?token={token.key}"

    with page.expect_console_message(lambda m: "Snagdesk widget disabled" in m.text) as said:
        page.goto(url)
    # A script of the page posting straight to the API reads only the refusal...
    from_page = page.evaluate(
        """async (url) => {
            const body = new FormData();
            body.append('subject', 'Sneaky'); body.append('message', 'From a foreign site');
            try { return (await fetch(url, {method: 'POST', body})).status; }
            catch (error) { return error.name; }
        }""",
        api,
    )
    # ...and, outside the browser's CORS rules, the server's answer is the same refusal.
    direct = page.request.post(
        api,
        headers={"Origin": host_site.origin},
        multipart={"subject": "Sneaky", "message": "From a foreign site"},
    )

    assert widget.root.count() == 0
    assert said.value.text == (
        f"Snagdesk widget disabled: origin_not_allowed. Add {host_site.origin} to the allowed "
        "origins of this widget token to use it here."
    )
    assert from_page == 403
    assert direct.status == 403
    assert direct.json()["code"] == "origin_not_allowed"
    assert not Ticket.objects.exists()
