"""What the registered modules add to the pages, narrowed to who is looking: the staff
sidebar and settings navigation, and the panels of the dashboard, the client and
project pages and the portal's home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

from snagdesk_server.core.modules import NAV_GROUPS, NavItem, panels, settings_pages
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
    where: Literal["dashboard", "client_panels", "project_panels"],
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
