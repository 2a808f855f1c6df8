from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "snagdesk_server.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from snagdesk_server.core.modules import (
            CRUD,
            ApiRoute,
            Module,
            NavItem,
            Panel,
            Urls,
            module_register,
        )

        PANELS = "snagdesk_server.tickets.panels"

        module_register(
            Module(
                key="tickets",
                label=_("Tickets"),
                # ``configure``: change the ticket policy (Settings → Tickets).
                actions=(*CRUD, "configure"),
                nav=(NavItem("tickets", _("Tickets"), "tickets:list", "support", order=10),),
                settings_page=NavItem(
                    "tickets", _("Tickets"), "tickets:settings", action="configure", order=15
                ),
                dashboard=(
                    Panel("tickets", "tickets/dashboard_panel.html", f"{PANELS}.dashboard"),
                ),
                client_panels=(
                    Panel("tickets", "tickets/client_panel.html", f"{PANELS}.client_latest"),
                ),
                project_panels=(
                    Panel("tickets", "tickets/project_panel.html", f"{PANELS}.project_latest"),
                ),
                staff_urls=(Urls("", "snagdesk_server.tickets.urls"),),
                portal_nav=(
                    NavItem("tickets", _("Tickets"), "portal:tickets", order=10),
                    NavItem("new", _("New ticket"), "portal:ticket_new", order=11),
                ),
                portal_urls=(Urls("", "snagdesk_server.tickets.portal_urls"),),
                portal_home=(
                    Panel("tickets", "tickets/portal_home_panel.html", f"{PANELS}.portal_home"),
                ),
                api_routes=(ApiRoute("tickets", "snagdesk_server.tickets.api.TicketViewSet"),),
                demo="snagdesk_server.tickets.demo.seed",
            )
        )
        module_register(
            Module(
                key="departments",
                label=_("Departments"),
                nav=(
                    NavItem(
                        "departments", _("Departments"), "tickets:departments", "support", order=20
                    ),
                ),
                api_routes=(
                    ApiRoute("departments", "snagdesk_server.tickets.api.DepartmentViewSet"),
                ),
            )
        )
