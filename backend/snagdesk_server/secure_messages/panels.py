"""What secure messages add to other pages through the module registry (core.modules):
the dashboard's counts, a client's latest secrets on the client page, the reply form's
"Insert a secure message" tool, and the card below a ticket message that holds a
secure link."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest
from snagdesk_server.secure_messages import selectors, services
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.errors import SecretGone
from snagdesk_server.secure_messages.models import SecureMessage
from snagdesk_server.tickets.models import Ticket

CLIENT_LATEST = 5


def dashboard(request: StaffRequest, _: None) -> dict[str, Any]:
    return {"secret_counts": selectors.secure_message_counts(user=request.user, now=timezone.now())}


def client_latest(request: StaffRequest, client: Client) -> dict[str, Any]:
    secrets = selectors.secure_message_list(user=request.user, client=client)
    return {"client": client, "secrets": list(secrets[:CLIENT_LATEST]), "now": timezone.now()}


def reply_tool(request: StaffRequest, ticket: Ticket) -> dict[str, Any]:
    """The browser encrypts and posts to the staff API, for the ticket's client; the
    note names the ticket in the staff list."""
    return {
        "secret_endpoint": reverse("api_v1:secure-messages-list"),
        "secret_client": ticket.client_id,
        "secret_note": _("Ticket #%(number)s") % {"number": ticket.number},
        "secret_expiries": SecureMessage.Expiry.choices,
        "secret_policy": settings_get(SecureMessageSettings),
    }


def link_card(request: HttpRequest, match: re.Match[str]) -> dict[str, Any]:
    """What the link's own page would say (it consumes nothing either): whether the
    secret opens once, until when it keeps, or that it is gone. A request's link is
    for staff, who know it; the card then says only that it may work once."""
    try:
        message = services.secure_message_live(secret_id=match["id"])
    except SecretGone:
        return {"secret": None, "secret_gone": True}
    return {
        "secret": message if message.kind == SecureMessage.Kind.MESSAGE else None,
        "secret_gone": False,
        "for_staff": request.user.is_staff,
    }
