from __future__ import annotations

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "snagdesk_server.projects"
    label = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from snagdesk_server.core.permissions import register_module

        register_module("projects", "Projects")
