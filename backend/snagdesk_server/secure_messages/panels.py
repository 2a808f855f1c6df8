"""What secure messages add to other pages through the module registry (core.modules):
the dashboard's counts, and a client's latest secrets on the client page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from snagdesk_server.accounts.models import Client
from snagdesk_server.core.decorators import StaffRequest
from snagdesk_server.secure_messages import selectors

CLIENT_LATEST = 5


def dashboard(request: StaffRequest, _: None) -> dict[str, Any]:
    return {"secret_counts": selectors.secure_message_counts(user=request.user, now=timezone.now())}


def client_latest(request: StaffRequest, client: Client) -> dict[str, Any]:
    secrets = selectors.secure_message_list(user=request.user, client=client)
    return {"client": client, "secrets": list(secrets[:CLIENT_LATEST]), "now": timezone.now()}
