from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "snagdesk_server.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from snagdesk_server.core.modules import ApiRoute, Module, NavItem, Urls, module_register

        module_register(
            Module(
                key="clients",
                label="Clients & contacts",
                nav=(NavItem("clients", "Clients", "accounts:clients", "customers", order=10),),
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
                label="Staff & roles",
                nav=(
                    NavItem("staff", "Staff & roles", "accounts:staff", "administration", order=10),
                ),
            )
        )
