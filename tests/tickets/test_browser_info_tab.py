"""The Browser info tab of a ticket sent through the widget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.tickets.models import BrowserInfo, Ticket
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "ticket-tab"}
TIMES = "\N{MULTIPLICATION SIGN}"


def _browser_info(ticket: Ticket, **changes: Any) -> BrowserInfo:
    values: dict[str, Any] = {
        "page_url": "https://client.example/shop?id=3",
        "page_title": "Shop",
        "referrer": "https://client.example/",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        "browser": "Firefox 128",
        "os": "Linux",
        "device": "desktop",
        "screen_width": 1920,
        "screen_height": 1080,
        "viewport_width": 1280,
        "viewport_height": 720,
        "device_pixel_ratio": Decimal("2.00"),
        "language": "fr-FR",
        "time_zone": "Europe/Paris",
        "console_errors": [{"message": "TypeError: x is undefined", "source": "app.js:12:5"}],
        "unrendered": [{"kind": "cross-origin-iframe", "src": "https://maps.example/embed"}],
        "extra": {"custom": {"plan": "pro"}},
        **changes,
    }
    return BrowserInfo.objects.create(ticket=ticket, **values)


def _url(ticket: Ticket, tab: str = "") -> str:
    url = reverse("tickets:detail", args=[ticket.number])
    return f"{url}?tab={tab}" if tab else url


@pytest.fixture
def ticket() -> Ticket:
    return factories.TicketFactory(source=Ticket.Source.WIDGET)


def test_browser_tab_shows_every_collected_value(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(ticket)

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    for text in (
        "Firefox 128",
        "Linux",
        "Desktop",
        f"1920 {TIMES} 1080",
        f"1280 {TIMES} 720",
        "fr-FR",
        "Europe/Paris",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        "TypeError: x is undefined",
        "app.js:12:5",
        "cross-origin-iframe",
        "https://maps.example/embed",
        "plan",
        "pro",
    ):
        assert text in html
    assert "<dt>Pixel ratio</dt><dd>2</dd>" in html


def test_page_url_is_a_link_that_leaks_nothing(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(ticket)

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    assert (
        '<a href="https://client.example/shop?id=3" target="_blank" '
        'rel="noopener noreferrer nofollow">'
    ) in html


def test_a_javascript_page_url_is_shown_as_text_not_linked(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    _browser_info(ticket, page_url="javascript:alert(1)")

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


def test_stored_values_are_escaped(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(
        ticket,
        page_title="<script>alert('title')</script>",
        console_errors=[{"message": "<img src=x onerror=alert(1)>"}],
        extra={"custom": {"<b>key</b>": "<script>alert('value')</script>"}},
    )

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;key&lt;/b&gt;" in html


def test_without_console_errors_the_tab_says_so(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(ticket, console_errors=[])

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    assert "No console errors were captured" in html


def test_browser_tab_lists_the_iframes_the_screenshot_could_not_draw(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    _browser_info(
        ticket,
        unrendered=[
            {"kind": "iframe", "src": "https://client.example/offers"},
            {"kind": "cross-origin-iframe", "src": "https://maps.example/embed"},
        ],
    )

    html = staff_client.get(_url(ticket, "browser")).content.decode()

    listed = html.split("Could not be drawn in the screenshot", 1)[1].split("</section>", 1)[0]
    assert "<li>iframe: <code>https://client.example/offers</code></li>" in listed
    assert "<li>cross-origin-iframe: <code>https://maps.example/embed</code></li>" in listed


def test_the_conversation_tab_is_the_default(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(ticket)

    html = staff_client.get(_url(ticket)).content.decode()

    assert "Browser info</a>" in html
    assert 'id="thread"' in html
    assert "Europe/Paris" not in html


def test_htmx_tab_switch_returns_only_the_tab(staff_client: HttpClient, ticket: Ticket) -> None:
    _browser_info(ticket)

    response = staff_client.get(_url(ticket, "browser"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Europe/Paris" in html
    assert 'id="ticket-props"' not in html


def test_htmx_switch_back_returns_the_conversation(
    staff_client: HttpClient, ticket: Ticket
) -> None:
    _browser_info(ticket)

    html = staff_client.get(_url(ticket), **HTMX).content.decode()

    assert 'id="thread"' in html
    assert "Europe/Paris" not in html


def test_ticket_without_browser_info_has_no_tabs(staff_client: HttpClient, ticket: Ticket) -> None:
    html = staff_client.get(_url(ticket, "browser")).content.decode()

    assert "Browser info" not in html
    assert 'id="thread"' in html


def test_browser_tab_needs_the_tickets_permission(ticket: Ticket, client: HttpClient) -> None:
    _browser_info(ticket)
    client.force_login(factories.staff_with_permissions("clients.view"))

    assert client.get(_url(ticket, "browser")).status_code == 403
