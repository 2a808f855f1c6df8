from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "snagdesk_server.portal"
    label = "portal"
    verbose_name = "Client portal"
