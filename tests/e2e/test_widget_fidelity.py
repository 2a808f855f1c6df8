"""What the uploaded screenshot shows of what visitors report: a fixed element on a
smooth-scrolling page, CSS counters, inline SVG and iframes, on a page with a strict
Content-Security-Policy (``hosts/fidelity.html``, scrolled 1,200 px down)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageChops, ImageStat

from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import Console, HostSite, Widget
from tests.e2e.test_widget_csp import RECORD_VIOLATIONS, _strict_policy
from tests.e2e.test_widget_mask import _count

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

Box = tuple[int, int, int, int]
BADGE = (0xE6, 0x00, 0x7E)
ICON = (0x00, 0xA3, 0x5C)
FRAME = (0x1E, 0x40, 0xAF)


@dataclass
class Report:
    page: Page
    chromium: Image.Image  # Chromium's own screenshot, just before the widget opened
    stored: Image.Image  # the screenshot as the ticket keeps it
    ticket: Ticket
    violations: list[dict[str, str]]

    def box(self, selector: str, *, frame: str = "") -> Box:
        """``selector``'s box in the viewport, inside the iframe ``frame`` if given."""
        scope = self.page.frame_locator(frame) if frame else self.page
        rect = scope.locator(selector).bounding_box()
        assert rect is not None
        return (
            round(rect["x"]),
            round(rect["y"]),
            round(rect["x"] + rect["width"]),
            round(rect["y"] + rect["height"]),
        )


@pytest.fixture
def report(
    page: Page, widget: Widget, host_site: HostSite, snagdesk: str, widget_token: WidgetToken
) -> Report:
    page.add_init_script(RECORD_VIOLATIONS)
    url = host_site.page(
        "fidelity.html", snagdesk=snagdesk, token=widget_token.key, csp=_strict_policy(snagdesk)
    )
    page.goto(url)
    page.evaluate("scrollTo({top: 1200, behavior: 'instant'})")
    widget.trigger.wait_for()
    chromium = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    widget.open()
    widget.fill("Fidelity", "Does the screenshot show what I see?")
    widget.wait_for_screenshot()
    widget.send()
    widget.sent_reference()
    ticket = Ticket.objects.get()
    with ticket.attachments.get().file.open("rb") as fh, Image.open(fh) as stored:
        image = stored.convert("RGB")
    assert image.size == chromium.size
    return Report(page, chromium, image, ticket, page.evaluate("window.__violations"))


def _centre(image: Image.Image, box: Box) -> tuple[int, ...]:
    return image.getpixel(((box[0] + box[2]) // 2, (box[1] + box[3]) // 2))


def _near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(colour, expected, strict=True))


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute luma difference of two same-sized images."""
    return ImageStat.Stat(ImageChops.difference(a.convert("L"), b.convert("L"))).mean[0]


def test_a_fixed_element_lands_where_the_visitor_sees_it(report: Report, console: Console) -> None:
    badge = report.box("#badge")

    assert _near(_centre(report.stored, badge), BADGE), console
    assert _near(_centre(report.chromium, badge), BADGE)


def test_counters_without_a_reset_are_numbered_like_the_browser(
    report: Report, console: Console
) -> None:
    boxes = [report.box(f"#step{n}") for n in (1, 2, 3)]
    drawn = [report.stored.crop(box) for box in boxes]
    seen = [report.chromium.crop(box) for box in boxes]
    first = seen[0]

    # "2" and "3" look like Chromium's "2" and "3", not like its "1".
    for n in (1, 2):
        assert _difference(drawn[n], seen[n]) < _difference(drawn[n], first.resize(seen[n].size))
    assert _difference(drawn[0], seen[0]) < 8, console


def test_inline_svg_is_drawn_under_a_strict_csp_without_a_violation(
    report: Report, console: Console
) -> None:
    icon = report.box("#icon")

    assert _near(_centre(report.stored, icon), ICON), console
    assert report.violations == []


def test_a_same_origin_iframe_is_drawn_and_one_that_cannot_be_read_is_listed(
    report: Report, console: Console
) -> None:
    frame = report.box("#frame")

    assert _near(_centre(report.stored, frame), FRAME), console
    unrendered = report.ticket.browser_info.unrendered
    # The sandboxed one only: the other is drawn.
    assert [item for item in unrendered if item["kind"] == "iframe"] == [
        {"kind": "iframe", "src": "about:srcdoc"}
    ], unrendered


def test_a_password_inside_a_same_origin_iframe_is_masked(report: Report, console: Console) -> None:
    control = report.box(".control", frame="#masked-frame")
    password = report.box("input", frame="#masked-frame")

    # The control, in the same colour inside the same iframe, shows the frame was drawn.
    assert _count(report.stored, control) > 100, console
    assert _count(report.chromium, password) > 0
    assert _count(report.stored, password) == 0
