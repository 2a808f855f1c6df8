from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "snagdesk_server.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from snagdesk_server.core.modules import ApiRoute, Module, NavItem, Urls, module_register

        module_register(
            Module(
                key="clients",
                label=_("Clients & contacts"),
                nav=(NavItem("clients", _("Clients"), "accounts:clients", "customers", order=10),),
                staff_urls=(Urls("", "snagdesk_server.accounts.urls"),),
                api_routes=(
                    ApiRoute("clients", "snagdesk_server.accounts.api.ClientViewSet"),
                    ApiRoute("contacts", "snagdesk_server.accounts.api.ContactViewSet"),
                ),
                demo="snagdesk_server.accounts.demo.seed",
            )
        )
        module_register(
            Module(
                key="staff",
                label=_("Staff & roles"),
                nav=(
                    NavItem(
                        "staff", _("Staff & roles"), "accounts:staff", "administration", order=10
                    ),
                ),
            )
        )
