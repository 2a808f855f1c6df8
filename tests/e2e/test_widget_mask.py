from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageChops

from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import VIEWPORT, Console, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

Box = tuple[int, int, int, int]


def _count(image: Image.Image, box: Box) -> int:
    """Pixels of the secret's #ff00ff in ``box``, give or take anti-aliasing and lossy
    encoding; the pink fringe where the text blends into white does not count."""
    red, green, blue = image.crop(box).split()
    magenta = ImageChops.multiply(
        ImageChops.multiply(
            red.point(lambda v: 255 * (v >= 200)), green.point(lambda v: 255 * (v <= 70))
        ),
        blue.point(lambda v: 255 * (v >= 200)),
    )
    return magenta.histogram()[255]


def _box(page: Page, selector: str, scale: float) -> Box:
    rect = page.locator(selector).bounding_box()
    return (
        int(rect["x"] * scale),
        int(rect["y"] * scale),
        int((rect["x"] + rect["width"]) * scale),
        int((rect["y"] + rect["height"]) * scale),
    )


def test_password_and_marked_elements_are_masked_in_the_uploaded_screenshot(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    page.goto(host_site.page("mask.html", snagdesk=snagdesk, token=widget_token.key))
    widget.open()
    widget.fill("Masking", "Is my password in the screenshot?")
    widget.wait_for_screenshot()
    widget.send()
    widget.sent_reference()

    attachment = Ticket.objects.get().attachments.get()
    with attachment.file.open("rb") as fh, Image.open(fh) as stored:
        image = stored.convert("RGB")
    scale = image.width / VIEWPORT["width"]
    password = _box(page, "#password", scale)
    masked = _box(page, "#masked", scale)
    control = _box(page, "#control", scale)
    everywhere = (0, 0, image.width, image.height)
    # The control, in the same colour and unmasked, shows the check can see the colour.
    assert _count(image, control) > 100, console
    assert _count(image, password) == 0
    assert _count(image, masked) == 0
    assert _count(image, everywhere) == _count(image, control)
