from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import Console, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# Collects every CSP violation of the page from its very start (init scripts are not
# subject to the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
    {directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile}));
"""


def _strict_policy(snagdesk: str) -> str:
    return (
        f"default-src 'self'; script-src 'self' {snagdesk}; connect-src 'self' {snagdesk}; "
        f"img-src 'self' {snagdesk}; style-src 'self'"
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "#336699").save(out, "PNG")
    return out.getvalue()


def test_visitor_can_report_from_a_page_with_a_strict_csp(
    page: Page,
    widget: Widget,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    console: Console,
) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    url = host_site.page(
        "shop.html", snagdesk=snagdesk, token=widget_token.key, csp=_strict_policy(snagdesk)
    )
    page.goto(url)
    widget.open()
    widget.fill("Search is broken", "Searching for “tent” shows an error page.")
    failed = widget.dialog.get_by_text("The screenshot could not be taken.")
    (widget.screenshot_preview.or_(failed)).wait_for()
    if failed.is_visible():
        # The fallback when no engine can draw under this policy: attach an image.
        widget.dialog.get_by_label("Attach an image").set_input_files(
            {"name": "page.png", "mimeType": "image/png", "buffer": _png()}
        )
        widget.screenshot_preview.wait_for()

    widget.send()

    reference = widget.sent_reference()
    ticket = Ticket.objects.get()
    assert reference == f"#{ticket.number}", console
    assert ticket.attachments.get().is_image
    # The widget's own script and styles were never blocked: it is styled (the stylesheet
    # is constructed, not an inline <style>) and nothing it loads needed more than the policy.
    trigger_position = widget.trigger.evaluate("(el) => getComputedStyle(el).position")
    assert trigger_position == "fixed"
    violations = page.evaluate("window.__violations")
    blocking = [v for v in violations if v["directive"].split("-")[0] in ("script", "style")]
    assert blocking == [], violations
