"""What the registered modules add to the pages, narrowed to who is looking: the staff
sidebar and settings navigation, the panels of the dashboard, the client and project
pages, the ticket reply form and the portal's home, and the cards of the links in a
ticket message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest

from snagdesk_server.core.modules import (
    NAV_GROUPS,
    SITE_URL_PLACEHOLDER,
    NavItem,
    link_cards,
    panels,
    settings_pages,
)
from snagdesk_server.core.modules import nav_items as registered_nav_items
from snagdesk_server.core.permissions import has_module_perm


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: list[NavItem]


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    context: dict[str, Any]


def staff_nav(user: Any) -> list[NavGroup]:
    """The sidebar: each group with the items the user may open; empty groups left out."""
    items = [i for m, i in registered_nav_items() if has_module_perm(user, m.key, i.action)]
    groups = [
        NavGroup(str(label), [i for i in items if i.group == key])
        for key, label in NAV_GROUPS.items()
    ]
    return [group for group in groups if group.items]


def settings_nav(user: Any) -> list[NavItem]:
    return [i for m, i in settings_pages() if has_module_perm(user, m.key, i.action)]


def staff_panels(
    request: HttpRequest,
    where: Literal["dashboard", "client_panels", "project_panels", "ticket_panels", "reply_tools"],
    obj: Any = None,
) -> list[ShownPanel]:
    """The panels of one page that the staff member may see, with their context."""
    return [
        ShownPanel(panel.key, panel.template, panel.context_for(request, obj))
        for module, panel in panels(where)
        if has_module_perm(request.user, module.key, panel.action)
    ]


def portal_panels(request: HttpRequest, contact: Any) -> list[ShownPanel]:
    """The portal home's panels; each context is read for ``contact`` only."""
    return [
        ShownPanel(panel.key, panel.template, panel.context_for(request, contact))
        for _, panel in panels("portal_home")
    ]


# A link in a message: http(s) up to a space, a quote or an angle bracket (so a link in
# "<a href='…'>" or "<…>" stops where it should), less the punctuation that ends a
# sentence. Cards per message are capped: each may cost its context function a query.
LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?"
CLOSERS = {")": "(", "]": "[", "}": "{"}
MAX_CARDS = 10


def links_in(text: str) -> list[str]:
    """The http(s) links in ``text``, in order, each once."""
    found: list[str] = []
    for match in LINK.finditer(text or ""):
        link = _trimmed(match.group(0))
        if link not in found:
            found.append(link)
    return found


def _trimmed(link: str) -> str:
    while link and (
        link[-1] in TRAILING
        or (link[-1] in CLOSERS and link.count(link[-1]) > link.count(CLOSERS[link[-1]]))
    ):
        link = link[:-1]
    return link


@lru_cache(maxsize=64)
def _compiled(pattern: str, site_url: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(SITE_URL_PLACEHOLDER, re.escape(site_url.rstrip("/"))))


def message_link_cards(request: HttpRequest, text: str) -> list[ShownPanel]:
    """A card for each link in ``text`` that a module's ``LinkCard`` matches (the first
    card in order that matches a link takes it), at most ``MAX_CARDS``."""
    registered = link_cards()
    shown: list[ShownPanel] = []
    for link in links_in(text) if registered else ():
        for _, card in registered:
            match = _compiled(card.pattern, settings.SITE_URL).fullmatch(link)
            if match:
                shown.append(ShownPanel(card.key, card.template, card.context_for(request, match)))
                break
        if len(shown) == MAX_CARDS:
            break
    return shown
