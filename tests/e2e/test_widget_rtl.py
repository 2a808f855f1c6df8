"""Persian, the right-to-left language: the widget mirrors its layout, and it follows the
host page's language when the snippet names it (``data-lang``), else the browser's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import VIEWPORT, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.e2e


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    return box


def test_a_persian_site_shows_the_widget_in_persian_mirrored(
    page: Page, host_site: HostSite, snagdesk: str, widget_token: WidgetToken
) -> None:
    # The browser speaks English (the context's locale); the snippet's data-lang wins.
    page.goto(host_site.page("persian.html", snagdesk=snagdesk, token=widget_token.key))
    widget = Widget(page, "fa")
    widget.open()

    frame = widget.root.locator("div[dir]").first
    assert (frame.get_attribute("dir"), frame.get_attribute("lang")) == ("rtl", "fa")
    title = widget.dialog.get_by_role("heading", name="گزارش مشکل")
    assert title.is_visible()
    close, dialog = widget.dialog.get_by_role("button", name="بستن"), _box(widget.dialog)
    # The close button ends the title row, on the left; the title starts on the right.
    assert _box(close)["x"] < _box(title)["x"]
    assert _box(close)["x"] < dialog["x"] + dialog["width"] / 2
    label, field = (
        widget.dialog.get_by_text("موضوع", exact=True),
        widget.dialog.get_by_label("موضوع"),
    )
    assert _box(label)["x"] + _box(label)["width"] == pytest.approx(
        _box(field)["x"] + _box(field)["width"], abs=1
    )
    # The default corner, bottom right, is the bottom end of a line: the left in Persian.
    assert dialog["x"] < VIEWPORT["width"] / 2
    # The message counter counts in Persian digits (ruff takes them for Latin look-alikes).
    assert widget.dialog.get_by_text("۰ / ۱۰٬۰۰۰").is_visible()  # noqa: RUF001


def test_without_data_lang_the_widget_follows_a_persian_browser(
    browser: Browser, host_site: HostSite, snagdesk: str, widget_token: WidgetToken
) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="fa-IR")
    page = context.new_page()
    page.goto(host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key))
    widget = Widget(page, "fa")
    widget.trigger.wait_for()

    trigger = _box(widget.trigger)
    assert trigger["x"] + trigger["width"] < VIEWPORT["width"] / 2
    assert widget.root.locator("div[dir]").first.get_attribute("dir") == "rtl"
    context.close()
