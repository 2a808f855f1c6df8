from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import Console, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_snippet_data_name_and_email_prefill_the_sender_and_file_the_ticket_with_them(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    make_token: Callable[..., WidgetToken],
    console: Console,
) -> None:
    token = make_token()  # no default contact: the form asks for name and email
    page.goto(host_site.page("member.html", snagdesk=snagdesk, token=token.key))
    widget.open()

    assert widget.dialog.get_by_label("Name").input_value() == 'Zoë "Z" O\'Brien', console
    assert widget.dialog.get_by_label("Email").input_value() == "zoe@visitor.example"
    widget.fill("Checkout is stuck", "The payment step spins forever.")
    widget.wait_for_screenshot()
    widget.send()

    reference = widget.sent_reference()
    ticket = Ticket.objects.get()
    assert reference == f"#{ticket.number}", console
    assert ticket.contact is None
    assert (ticket.submitter_name, ticket.submitter_email) == (
        'Zoë "Z" O\'Brien',
        "zoe@visitor.example",
    )


def test_identify_called_by_the_page_replaces_the_snippet_sender(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    make_token: Callable[..., WidgetToken],
) -> None:
    token = make_token()
    page.goto(host_site.page("member.html", snagdesk=snagdesk, token=token.key))
    page.evaluate("Snagdesk.identify({name: 'Ada Page', email: 'ada@page.example'})")
    widget.open()

    assert widget.dialog.get_by_label("Name").input_value() == "Ada Page"
    assert widget.dialog.get_by_label("Email").input_value() == "ada@page.example"
