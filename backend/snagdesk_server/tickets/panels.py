"""What tickets add to other apps' pages through the module registry (core.modules):
the dashboard's counts and activity, the latest tickets of a client and of a project,
and a contact's tickets on the portal's home."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.core.decorators import StaffRequest
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets import selectors

ACTIVITY_LIMIT = 15
RECENT_TICKETS = 10
PORTAL_LATEST = 5


def dashboard(request: StaffRequest, _: None) -> dict[str, Any]:
    return {
        "counts": selectors.ticket_counts(user=request.user),
        "mine": selectors.ticket_list_mine(user=request.user),
        "activity": activity(),
        "open_query": urlencode({"status": selectors.OPEN_STATUSES}, doseq=True),
    }


def activity() -> list[Any]:
    return selectors.ticket_recent_activity(limit=ACTIVITY_LIMIT)


def client_latest(request: HttpRequest, client: Client) -> dict[str, Any]:
    return {
        "client": client,
        "tickets": selectors.ticket_list_latest(client=client, limit=RECENT_TICKETS),
    }


def project_latest(request: HttpRequest, project: Project) -> dict[str, Any]:
    tickets = selectors.ticket_list_latest(project=project, limit=RECENT_TICKETS)
    return {"project": project, "tickets": tickets}


def portal_home(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {
        "counts": selectors.ticket_counts_for_contact(contact=contact),
        "latest": list(selectors.ticket_list_for_contact(contact=contact)[:PORTAL_LATEST]),
    }
