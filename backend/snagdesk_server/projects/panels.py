"""What projects add to the client page through the module registry (core.modules)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from snagdesk_server.accounts.models import Client
from snagdesk_server.projects.selectors import project_list


def client_projects(request: HttpRequest, client: Client) -> dict[str, Any]:
    return {"client": client, "projects": project_list(client=client)}
