from __future__ import annotations

from django.apps import AppConfig


class WebsiteSupportConfig(AppConfig):
    name = "snagdesk_server.website_support"
    label = "website_support"
    verbose_name = "Website support"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from snagdesk_server.core.permissions import register_module
        from snagdesk_server.website_support.cors import cors_allow_widget_origin

        register_module("website_support", "Website support")
        check_request_enabled.connect(cors_allow_widget_origin, dispatch_uid="widget_cors")
