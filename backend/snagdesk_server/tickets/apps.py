from __future__ import annotations

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "snagdesk_server.tickets"
    label = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from snagdesk_server.core.permissions import register_module

        register_module("tickets", "Tickets")
        register_module("departments", "Departments")
