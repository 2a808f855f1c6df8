"""The module registry: the one place where an app plugs into the console, the portal,
the API, the ticket pages and the demo data.

Each app registers its modules from its ``AppConfig.ready()``; the staff and portal
layouts, the dashboard, the client and project pages, the URL configuration, the API
router, the settings navigation and ``seed_demo`` iterate what is registered, so a new
app touches nothing outside itself but ``INSTALLED_APPS``. Views, viewsets, URL
configurations and seeders are named by dotted path, so registering imports nothing
of the app's views at start-up and ``core`` imports no app.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

CRUD = ("view", "create", "edit", "delete")

# The staff sidebar's groups, in their order on screen.
NavGroup = Literal["support", "customers", "administration"]
Label = str | Promise

NAV_GROUPS: dict[str, Label] = {
    "support": _("Support"),
    "customers": _("Customers"),
    "administration": _("Administration"),
}


@dataclass(frozen=True)
class NavItem:
    """A link in a navigation bar; ``key`` is what a page passes as ``nav`` to mark it
    current. Shown to staff holding ``<module>.<action>`` (the portal shows it to every
    contact)."""

    key: str
    label: Label
    url_name: str
    group: NavGroup = "support"
    action: str = "view"
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A block an app adds to another app's page: a template included with the context
    ``context(request, obj)`` returns (``obj`` is the client, the project or the contact
    the page is about, ``None`` on the dashboard). Staff see it when they hold
    ``<module>.<action>``."""

    key: str
    template: str
    context: str  # dotted path of the context function
    action: str = "view"
    order: int = 100

    def context_for(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        function: Callable[[HttpRequest, Any], dict[str, Any]] = import_string(self.context)
        return function(request, obj)


# In a link card's pattern, this stands for the installation's SITE_URL (escaped), read
# when the pattern is matched: tests and deployments change SITE_URL after start-up.
SITE_URL_PLACEHOLDER = "{site_url}"


@dataclass(frozen=True)
class LinkCard:
    """A card shown below a ticket message, in the staff and the portal thread, for each
    link in the message's text that ``pattern`` matches whole (``re.fullmatch``;
    ``{site_url}`` stands for ``SITE_URL``). The template gets ``link`` (the URL),
    ``match`` (the pattern's named groups) and, with ``context``, what the function
    ``context(request, match)`` returns. The message text itself stays as it is."""

    key: str
    pattern: str
    template: str
    context: str = ""  # dotted path of the context function, if any
    order: int = 100

    def context_for(self, request: HttpRequest, match: re.Match[str]) -> dict[str, Any]:
        found: dict[str, Any] = {"link": match.group(0), "match": match.groupdict()}
        if self.context:
            function: Callable[[HttpRequest, re.Match[str]], dict[str, Any]]
            function = import_string(self.context)
            found.update(function(request, match))
        return found


@dataclass(frozen=True)
class ApiRoute:
    """A viewset of the staff REST API under ``/api/v1/<prefix>/``."""

    prefix: str
    viewset: str  # dotted path
    basename: str = ""


@dataclass(frozen=True)
class Urls:
    """A URL configuration included under ``prefix`` ("" for the root)."""

    prefix: str
    urlconf: str  # dotted path of a module with ``app_name`` and ``urlpatterns``


@dataclass(frozen=True)
class Module:
    """One permission module and everything it adds to the shared surfaces.

    ``actions`` are the permission codes a role can grant (``<key>.<action>``);
    ``settings_page`` is a settings navigation item; ``ticket_panels`` are blocks in a
    ticket's sidebar and ``reply_tools`` panels inside its staff reply form (the object
    of both is the ticket); ``link_cards`` turn
    links in ticket messages into cards; ``demo`` the dotted path of a ``seed(demo)``
    function that ``seed_demo`` calls in registration order.
    """

    key: str
    label: Label
    actions: tuple[str, ...] = CRUD
    nav: tuple[NavItem, ...] = ()
    settings_page: NavItem | None = None
    dashboard: tuple[Panel, ...] = ()
    client_panels: tuple[Panel, ...] = ()
    project_panels: tuple[Panel, ...] = ()
    ticket_panels: tuple[Panel, ...] = ()
    reply_tools: tuple[Panel, ...] = ()
    link_cards: tuple[LinkCard, ...] = ()
    staff_urls: tuple[Urls, ...] = ()
    portal_nav: tuple[NavItem, ...] = ()
    portal_home: tuple[Panel, ...] = ()
    portal_urls: tuple[Urls, ...] = ()
    api_routes: tuple[ApiRoute, ...] = ()
    demo: str = ""
    codes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(f"{self.key}.{a}" for a in self.actions))


class ModuleError(LookupError):
    """A module registered twice, or a permission code no module declares."""


_modules: dict[str, Module] = {}


def module_register(module: Module) -> None:
    if module.key in _modules:
        raise ModuleError(f"The module {module.key!r} is registered twice.")
    _modules[module.key] = module


def module_list() -> list[Module]:
    """Every module, in registration order (``INSTALLED_APPS``: lower apps first)."""
    return list(_modules.values())


def module_get(key: str) -> Module:
    try:
        return _modules[key]
    except KeyError:
        raise ModuleError(f"No module {key!r} is registered.") from None


def _ordered(pairs: Iterator[tuple[Module, Any]]) -> list[tuple[Module, Any]]:
    return sorted(pairs, key=lambda pair: pair[1].order)


def nav_items() -> list[tuple[Module, NavItem]]:
    return _ordered((m, item) for m in module_list() for item in m.nav)


def settings_pages() -> list[tuple[Module, NavItem]]:
    return _ordered((m, m.settings_page) for m in module_list() if m.settings_page)


def panels(
    where: Literal[
        "dashboard",
        "client_panels",
        "project_panels",
        "ticket_panels",
        "reply_tools",
        "portal_home",
    ],
) -> list[tuple[Module, Panel]]:
    return _ordered((m, panel) for m in module_list() for panel in getattr(m, where))


def link_cards() -> list[tuple[Module, LinkCard]]:
    return _ordered((m, card) for m in module_list() for card in m.link_cards)


def portal_nav_items() -> list[NavItem]:
    return [item for _, item in _ordered((m, i) for m in module_list() for i in m.portal_nav)]
