"""Browser tests of the widget: a client's page on one origin, Snagdesk on another.

Snagdesk runs on pytest-django's ``live_server`` (http://localhost:<port>); the client's
pages are served by ``HostSite`` on http://127.0.0.1:<other port>, each page optionally
with its own Content-Security-Policy. Chromium is the system's (/usr/bin/chromium,
installed by scripts/ci-deps), driven by Playwright; the tests skip when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connections

from snagdesk_server.accounts.models import Contact
from snagdesk_server.projects.models import Project
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.services import widget_token_create
from tests import factories
from tests.e2e.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    WIDGET_DIST,
    Console,
    HostSite,
    Widget,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


# The two origins ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def host_site() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server: Any) -> Any:
    """pytest-django's live server, started once the test database exists. On SQLite that
    database lives in memory, and only then does the server thread share the tests'
    connection; a second connection to it would fail the tests' reads with "database
    table is locked" while the server writes."""
    return live_server


@pytest.fixture
def snagdesk(live_server: Any, settings: Any) -> str:
    """Snagdesk's address, which the snippets load the widget from. It is also SITE_URL,
    as in production: the sign-in popup's address is built on it."""
    settings.SITE_URL = live_server.url
    return live_server.url


# The browser ------------------------------------------------------------------------------


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, snagdesk: str) -> Iterator[Browser]:
    """A fresh headless Chromium per test.

    Playwright's sync API keeps an asyncio loop running in this thread. Django then refuses
    ORM calls (lifted for the test: they never run inside the loop, and Playwright documents
    this for Django) and looks database connections up in a per-context store, where it
    would open new ones: they are pointed at the connections the fixtures already use (on
    SQLite in memory, the ones the live server shares). Per test, so neither outlives it.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: run scripts/ci-deps")
    if not (WIDGET_DIST / "loader.js").exists():
        pytest.fail(f"the widget is not built: no {WIDGET_DIST / 'loader.js'}")
    from playwright.sync_api import sync_playwright

    opened = {alias: connections[alias] for alias in connections}
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        for alias, connection in opened.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London", device_scale_factor=1
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(context: BrowserContext, console: Console) -> Page:
    page = context.new_page()
    page.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    return page


# Data ---------------------------------------------------------------------------------------


@pytest.fixture
def contact(transactional_db: None) -> Contact:
    return factories.PortalContactFactory(first_name="Ada", last_name="Client")


@pytest.fixture
def project(contact: Contact) -> Project:
    return factories.ProjectFactory(client=contact.client, name="Shop")


@pytest.fixture
def make_token(project: Project, host_site: HostSite) -> Callable[..., WidgetToken]:
    """A widget token for ``project``, allowed on the host site unless told otherwise."""

    def make(**fields: Any) -> WidgetToken:
        fields.setdefault("allowed_origins", [host_site.origin])
        return widget_token_create(
            actor=factories.AdminFactory(), name="Shop", project=project, **fields
        )

    return make


@pytest.fixture
def widget_token(make_token: Callable[..., WidgetToken], contact: Contact) -> WidgetToken:
    return make_token(default_contact=contact)


@pytest.fixture
def widget(page: Page) -> Widget:
    return Widget(page)
