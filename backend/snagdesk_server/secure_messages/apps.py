from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecureMessagesConfig(AppConfig):
    name = "snagdesk_server.secure_messages"
    label = "secure_messages"
    verbose_name = _("Secure messages")

    def ready(self) -> None:
        from snagdesk_server.core.modules import (
            ApiRoute,
            LinkCard,
            Module,
            NavItem,
            Panel,
            Urls,
            module_register,
        )

        PANELS = "snagdesk_server.secure_messages.panels"

        module_register(
            Module(
                key="secure_messages",
                label=_("Secure messages"),
                # ``create``: send and request secrets, see and revoke one's own;
                # ``manage``: see and revoke everyone's, and the settings.
                actions=("create", "manage"),
                nav=(
                    NavItem(
                        "secure_messages",
                        _("Secure messages"),
                        "secure_messages:list",
                        "support",
                        action="create",
                        order=40,
                    ),
                ),
                settings_page=NavItem(
                    "secure_messages",
                    _("Secure messages"),
                    "secure_messages:settings",
                    action="manage",
                    order=30,
                ),
                dashboard=(
                    Panel(
                        "secure_messages",
                        "secure_messages/dashboard_panel.html",
                        f"{PANELS}.dashboard",
                        action="create",
                        order=200,
                    ),
                ),
                client_panels=(
                    Panel(
                        "secure_messages",
                        "secure_messages/client_panel.html",
                        f"{PANELS}.client_latest",
                        action="create",
                        order=200,
                    ),
                ),
                # "Insert a secure message" in a ticket's reply form, and a card in
                # both ticket threads for a message that holds a secure link.
                reply_tools=(
                    Panel(
                        "secure_messages",
                        "secure_messages/reply_tool.html",
                        f"{PANELS}.reply_tool",
                        action="create",
                    ),
                ),
                link_cards=(
                    LinkCard(
                        "secure_message",
                        r"{site_url}/s/(?P<id>[A-Za-z0-9_-]{22})(?:#[A-Za-z0-9_-]*)?",
                        "secure_messages/link_card.html",
                        f"{PANELS}.link_card",
                    ),
                ),
                staff_urls=(
                    Urls("secure-messages/", "snagdesk_server.secure_messages.urls"),
                    Urls("", "snagdesk_server.secure_messages.public_urls"),
                ),
                portal_nav=(
                    NavItem(
                        "secure_messages",
                        _("Secure messages"),
                        "portal:secure_messages",
                        order=40,
                    ),
                ),
                portal_urls=(Urls("", "snagdesk_server.secure_messages.portal_urls"),),
                api_routes=(
                    ApiRoute(
                        "secure-messages",
                        "snagdesk_server.secure_messages.api.SecureMessageViewSet",
                    ),
                ),
                demo="snagdesk_server.secure_messages.demo.seed",
            )
        )
