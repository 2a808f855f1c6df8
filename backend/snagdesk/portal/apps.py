from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "snagdesk.portal"
    label = "portal"
    verbose_name = "Client portal"
