"""The demo widget tokens, for the demo client site ``devstack`` serves on its own port.

``seed_demo`` also calls ``demo_site_port_set`` on a desk seeded before, and ``devstack``
writes ``demo_widget_keys`` into the site's pages.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from snagdesk_server.accounts.demo import ADMIN_EMAIL
from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.demo import Demo
from snagdesk_server.projects.models import Project
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.services import widget_token_create, widget_token_update

DEMO_WIDGET_NAME = "Bloom & Co. shop (demo site)"
DEMO_TRADE_WIDGET_NAME = "Bloom & Co. trade area (demo site, sign-in required)"


def demo_site_origins(port: int) -> list[str]:
    """The origins of the demo client site ``devstack`` serves on ``port`` of 127.0.0.1; the
    browser may also reach it as localhost."""
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def seed(demo: Demo) -> None:
    """Two tokens for Bloom & Co.'s shop: the public pages file tickets under the demo
    portal contact; the trade area asks the visitor to sign in to the portal first."""
    admin: User = demo.shared["admin"]
    client: Client = demo.shared["clients"][0]
    primary: Contact = demo.shared["contacts"][client.pk][0]
    shop: Project = demo.shared["projects"][client.pk][0]
    widget_token_create(
        actor=admin,
        name=DEMO_WIDGET_NAME,
        project=shop,
        allowed_origins=demo_site_origins(demo.site_port),
        default_contact=primary,
        now=demo.now,
    )
    widget_token_create(
        actor=admin,
        name=DEMO_TRADE_WIDGET_NAME,
        project=shop,
        allowed_origins=demo_site_origins(demo.site_port),
        require_login=True,
        now=demo.now,
    )


def demo_site_port_set(*, port: int, now: datetime) -> list[WidgetToken]:
    """Allow the demo tokens on the demo site's new port, for a desk seeded with another
    one; the tokens already allowing it are left alone. Returns the tokens changed."""
    admin = User.objects.get(email=ADMIN_EMAIL)
    origins = demo_site_origins(port)
    tokens = WidgetToken.objects.filter(name__in=[DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME])
    changed = [token for token in tokens.order_by("pk") if token.allowed_origins != origins]
    with transaction.atomic():
        for token in changed:
            widget_token_update(token=token, actor=admin, allowed_origins=origins, now=now)
    return changed


def demo_widget_keys() -> dict[str, str]:
    """The demo tokens' keys for the demo site's pages; empty values before ``seed_demo``."""
    keys = dict(
        WidgetToken.objects.filter(name__in=[DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME]).values_list(
            "name", "key"
        )
    )
    return {
        "widget_token": keys.get(DEMO_WIDGET_NAME, ""),
        "login_widget_token": keys.get(DEMO_TRADE_WIDGET_NAME, ""),
    }
