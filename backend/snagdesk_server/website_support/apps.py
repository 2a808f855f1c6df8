from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteSupportConfig(AppConfig):
    name = "snagdesk_server.website_support"
    label = "website_support"
    verbose_name = _("Website support")

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from snagdesk_server.core.modules import ApiRoute, Module, NavItem, Urls, module_register
        from snagdesk_server.website_support.cors import cors_allow_widget_origin

        module_register(
            Module(
                key="website_support",
                label=_("Website support"),
                nav=(
                    NavItem(
                        "website_support", _("Website support"), "website_support:tokens", order=30
                    ),
                ),
                settings_page=NavItem(
                    "website_support", _("Support widget"), "website_support:settings", order=20
                ),
                staff_urls=(
                    Urls("website-support/", "snagdesk_server.website_support.urls"),
                    Urls("", "snagdesk_server.website_support.widget_urls"),
                ),
                api_routes=(
                    ApiRoute(
                        "widget-tokens", "snagdesk_server.website_support.api.WidgetTokenViewSet"
                    ),
                ),
                demo="snagdesk_server.website_support.demo.seed",
            )
        )
        check_request_enabled.connect(cors_allow_widget_origin, dispatch_uid="widget_cors")
