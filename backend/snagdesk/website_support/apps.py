from __future__ import annotations

from django.apps import AppConfig


class WebsiteSupportConfig(AppConfig):
    name = "snagdesk.website_support"
    label = "website_support"
    verbose_name = "Website support"

    def ready(self) -> None:
        from snagdesk.core.permissions import register_module

        register_module("website_support", "Website support")
