"""The demo clients' projects."""

from __future__ import annotations

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.demo import Demo
from snagdesk_server.projects.models import Project
from snagdesk_server.projects.services import project_create

# By client name (accounts' demo clients).
PROJECTS = {
    "Bloom & Co. Florists": ["Online flower shop", "Spring campaign landing pages"],
    "Northwind Outdoor": ["Shop replatforming", "Care plan 2025"],
    "Harbor Dental Clinic": ["Patient booking site"],
    "Copperleaf Coffee Roasters": ["Subscription shop", "Hosting & maintenance"],
}


def seed(demo: Demo) -> None:
    """Leaves ``projects`` (by client id, in order) in ``demo.shared``."""
    admin: User = demo.shared["admin"]
    clients: list[Client] = demo.shared["clients"]
    projects: dict[int, list[Project]] = {
        client.pk: [
            project_create(actor=admin, client=client, name=name, members=[admin])
            for name in PROJECTS[client.name]
        ]
        for client in clients
    }
    demo.shared["projects"] = projects
