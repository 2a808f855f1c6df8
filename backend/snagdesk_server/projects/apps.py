from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "snagdesk_server.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from snagdesk_server.core.modules import (
            ApiRoute,
            Module,
            NavItem,
            Panel,
            Urls,
            module_register,
        )

        module_register(
            Module(
                key="projects",
                label=_("Projects"),
                nav=(NavItem("projects", _("Projects"), "projects:list", "customers", order=20),),
                client_panels=(
                    Panel(
                        "projects",
                        "projects/client_panel.html",
                        "snagdesk_server.projects.panels.client_projects",
                        order=20,
                    ),
                ),
                staff_urls=(Urls("projects/", "snagdesk_server.projects.urls"),),
                api_routes=(ApiRoute("projects", "snagdesk_server.projects.api.ProjectViewSet"),),
                demo="snagdesk_server.projects.demo.seed",
            )
        )
