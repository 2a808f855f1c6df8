"""How the console and the portal look in Chromium: mirrored for a right-to-left language,
and in the colour scheme each person chooses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation

from snagdesk_server.accounts.models import Contact, User
from tests import factories
from tests.e2e.browser import VIEWPORT
from tests.e2e.test_console import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

pytestmark = pytest.mark.e2e

LIGHT_BACKGROUND = "rgb(246, 247, 249)"
DARK_BACKGROUND = "rgb(16, 20, 27)"


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.StaffFactory(full_name="Sam Staff")


@pytest.fixture
def open_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Contexts for a browser language or a system colour scheme, closed after the test."""
    opened: list[BrowserContext] = []

    def open_(**options: Any) -> BrowserContext:
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, **options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()


def _in(locale: str, text: str) -> str:
    """``text`` as a browser of ``locale`` reads it."""
    with translation.override(locale.split("-")[0]):
        return translation.gettext(text)


def _centre(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not on screen"
    return box["x"] + box["width"] / 2


# Right to left -----------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "direction"), [("fa-IR", "rtl"), ("en-GB", "ltr")])
def test_the_console_sidebar_follows_the_language_direction(
    open_context: Callable[..., BrowserContext],
    staff: User,
    snagdesk: str,
    locale: str,
    direction: str,
) -> None:
    context = open_context(locale=locale)
    sign_in(context, staff, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/tickets/")

    assert page.locator("html").get_attribute("dir") == direction
    sidebar = _centre(page.get_by_role("navigation", name=_in(locale, "Modules")))
    content = _centre(page.locator("main"))
    assert (sidebar > content) == (direction == "rtl")


@pytest.mark.parametrize(("locale", "direction"), [("fa-IR", "rtl"), ("en-GB", "ltr")])
def test_the_portal_top_bar_follows_the_language_direction(
    open_context: Callable[..., BrowserContext],
    contact: Contact,
    snagdesk: str,
    locale: str,
    direction: str,
) -> None:
    context = open_context(locale=locale)
    assert contact.user is not None
    sign_in(context, contact.user, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/portal/")

    assert page.locator("html").get_attribute("dir") == direction
    brand = _centre(page.locator(".topbar .brand"))
    sign_out = _centre(page.get_by_role("button", name=_in(locale, "Sign out")))
    assert (brand > sign_out) == (direction == "rtl")


def test_a_persian_contact_sees_a_mirrored_portal_in_an_english_browser(
    open_context: Callable[..., BrowserContext], contact: Contact, snagdesk: str
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="fa")
    context = open_context(locale="en-GB")
    assert contact.user is not None
    sign_in(context, contact.user, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/portal/profile/")

    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    brand = _centre(page.locator(".topbar .brand"))
    name = _centre(page.locator(".user-menu a[aria-current=page]"))
    assert brand > name
    assert page.get_by_label(_in("fa", "Language")).input_value() == "fa"


# Colour scheme -----------------------------------------------------------------------------


def _background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _menu(page: Page) -> Locator:
    return page.get_by_role("combobox", name="Colour scheme")


def test_the_console_follows_the_system_scheme_until_one_is_chosen(
    open_context: Callable[..., BrowserContext], staff: User, snagdesk: str
) -> None:
    context = open_context(color_scheme="dark")
    sign_in(context, staff, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/")
    assert _background(page) == DARK_BACKGROUND
    assert _menu(page).input_value() == "system"

    _menu(page).select_option("light")

    assert _background(page) == LIGHT_BACKGROUND
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert _background(page) == LIGHT_BACKGROUND
    assert _menu(page).input_value() == "light"

    _menu(page).select_option("system")

    assert _background(page) == DARK_BACKGROUND
    assert page.evaluate("localStorage.getItem('snagdesk-theme')") is None


def test_the_portal_scheme_is_chosen_with_the_keyboard_and_kept_on_every_page(
    open_context: Callable[..., BrowserContext], contact: Contact, snagdesk: str
) -> None:
    context = open_context(color_scheme="light")
    assert contact.user is not None
    sign_in(context, contact.user, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/portal/")
    assert _background(page) == LIGHT_BACKGROUND

    _menu(page).focus()
    page.keyboard.press("ArrowDown")  # system -> light
    page.keyboard.press("ArrowDown")  # light -> dark

    assert _background(page) == DARK_BACKGROUND
    page.goto(f"{snagdesk}/portal/tickets/")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert _background(page) == DARK_BACKGROUND


# What data-theme says when the parser creates <body>, before anything of the page shows.
RECORD_THEME_AT_BODY = """
new MutationObserver((records, observer) => {
    if (!document.body) return;
    window.__themeAtBody = document.documentElement.getAttribute('data-theme');
    observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_a_chosen_scheme_is_set_before_the_body_is_parsed(
    open_context: Callable[..., BrowserContext], staff: User, snagdesk: str
) -> None:
    context = open_context(color_scheme="light")
    sign_in(context, staff, snagdesk)
    page = context.new_page()
    page.goto(f"{snagdesk}/")
    _menu(page).select_option("dark")
    page.add_init_script(RECORD_THEME_AT_BODY)

    page.goto(f"{snagdesk}/tickets/")

    assert page.evaluate("window.__themeAtBody") == "dark"
