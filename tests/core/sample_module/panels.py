from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket


def dashboard(request: HttpRequest, _: None) -> dict[str, Any]:
    return {"sample_text": f"Sample panel for {request.user}"}


def client(request: HttpRequest, client: Client) -> dict[str, Any]:
    return {"sample_text": f"Sample panel of the client {client.name}"}


def project(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {"sample_text": f"Sample panel of the project {project.name}"}


def reply_tool(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    return {"sample_text": f"Sample tool for the ticket #{ticket.number}"}


def link_card(request: HttpRequest, match: re.Match[str]) -> dict[str, Any]:
    return {"sample_text": f"sample number {int(match['number']) * 2} doubled"}


def portal(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {"sample_text": f"Sample panel for the contact {contact.full_name}"}
