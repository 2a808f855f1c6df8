"""What the browser tests share besides fixtures: the client's website that serves the
host pages, the widget as a visitor meets it, and a poll for the database."""

from __future__ import annotations

import json
import os
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

HOSTS = Path(__file__).parent / "hosts"
WIDGET_DIST = Path(__file__).resolve().parents[2] / "widget" / "dist" / "v1"
AXE = Path(__file__).resolve().parents[2] / "widget" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
STATIC_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


# The client's website ------------------------------------------------------------------------


@dataclass
class _Page:
    html: bytes
    csp: str | None


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 refuses connections when Chromium opens several at once
    # on a busy machine, and a page then misses its stylesheet.
    request_queue_size = 64
    daemon_threads = True


class HostSite:
    """A client's website on its own origin (127.0.0.1, a free port or
    ``SNAGDESK_E2E_HOST_PORT``), in a thread. Tests add pages (templates from ``hosts/``
    with the snippet filled in); anything else under ``hosts/`` is served as a static file."""

    def __init__(self) -> None:
        self.pages: dict[str, _Page] = {}
        port = int(os.environ.get("SNAGDESK_E2E_HOST_PORT", "0"))
        self.server = _Server(("127.0.0.1", port), _handler(self.pages))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def page(self, template: str, *, snagdesk: str, token: str, csp: str | None = None) -> str:
        """Serve ``hosts/<template>`` with the snippet for ``token``; return its URL."""
        html = string.Template((HOSTS / template).read_text()).substitute(
            snagdesk=snagdesk, token=token
        )
        path = f"/{len(self.pages)}/{template}"
        self.pages[path] = _Page(html.encode(), csp)
        return self.origin + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(pages: dict[str, _Page]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            page = pages.get(path)
            static = HOSTS / path.lstrip("/")
            if page is not None:
                self._send(page.html, "text/html; charset=utf-8", "no-store", page.csp)
            elif static.suffix in STATIC_TYPES and static.parent == HOSTS and static.is_file():
                # Cached like any site's assets: the screenshot engine loads them again.
                self._send(static.read_bytes(), STATIC_TYPES[static.suffix], "max-age=600")
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str, cache: str, csp: str | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# The page and the widget -----------------------------------------------------------------------


@dataclass
class Console:
    """What the page said: console errors and uncaught exceptions, shown when a test fails."""

    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.errors) or "(no console errors)"


class Widget:
    """The widget as a visitor meets it: roles and labels inside its (open) shadow root,
    which Playwright's locators pierce. The texts are the default ones of ``lang``, read
    from the built catalogue."""

    def __init__(self, page: Page, lang: str = "en") -> None:
        self.page = page
        self.texts: dict[str, str] = json.loads((WIDGET_DIST / "i18n" / f"{lang}.json").read_text())
        self.root: Locator = page.locator("snagdesk-widget")
        self.trigger = self.root.get_by_role("button", name=self.texts["trigger"])
        self.dialog = self.root.get_by_role("dialog")
        self.screenshot_preview = self.root.get_by_role(
            "img", name=self.texts["screenshot_preview"]
        )

    def open(self) -> None:
        self.trigger.click()
        self.dialog.get_by_label(self.texts["subject"]).wait_for()

    def fill(self, subject: str, message: str) -> None:
        self.dialog.get_by_label(self.texts["subject"]).fill(subject)
        self.dialog.get_by_label(self.texts["message"]).fill(message)

    def wait_for_screenshot(self) -> None:
        # The widget gives up on a capture after 20 s; a busy CI machine may need most of it.
        self.screenshot_preview.wait_for(timeout=30_000)

    def send(self) -> None:
        self.dialog.get_by_role("button", name=self.texts["send"]).click()

    def sent_reference(self) -> str:
        """``#n`` from the thank-you view, once it shows (encoding and sending a full-window
        capture takes a busy CI machine more than the default 15 s)."""
        before, after = self.texts["sent_body"].split("{reference}")
        thanks = self.dialog.get_by_text(after.strip())
        try:
            thanks.wait_for(timeout=30_000)
        except PlaywrightTimeout as timeout:
            raise AssertionError(
                f"No thank-you view; the dialog says: {self.dialog.inner_text()}"
            ) from timeout
        return thanks.inner_text().removeprefix(before).removesuffix(after)


def wait_until(check: Callable[[], Any], *, timeout: float = 15, what: str = "") -> Any:
    """Poll ``check`` (say, a database query) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"timed out after {timeout} s waiting for {what or check}"
            return result
        time.sleep(0.1)
