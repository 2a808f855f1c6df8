from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "snagdesk_server.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from snagdesk_server.core.permissions import register_module

        register_module("clients", "Clients & contacts")
        register_module("staff", "Staff & roles")
