"""The ticket policy staff set under Settings → Tickets: defaults for a new ticket,
the attachment size limit, closing answered tickets, acknowledging the reporter."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snagdesk_server.core.config import register, setting
from snagdesk_server.tickets.models import Department, Ticket


def active_department_errors(pk: Any) -> list[str]:
    """A department setting names an active department (or none)."""
    if Department.objects.filter(pk=pk, is_active=True).exists():
        return []
    return [gettext("Choose an active department.")]


@register("tickets")
@dataclasses.dataclass(frozen=True)
class TicketSettings:
    default_priority: str = setting(
        "medium", label=_("Default priority"), choices=Ticket.Priority.choices
    )
    default_department_id: int | None = setting(
        None, label=_("Default department"), check=active_department_errors
    )
    attachment_max_mb: int = setting(
        10, label=_("Attachment size limit (MB)"), min_value=1, max_value=100
    )
    # Answered tickets with no reply for this many days are closed by a job (0: never).
    autoclose_after_days: int = setting(
        7,
        label=_("Close answered tickets after (days)"),
        min_value=0,
        max_value=365,
        help_text=_("Days without a reply from the client; 0 never closes them."),
    )
    # Email the reporter of a widget or portal ticket its number (staff-opened ones are not).
    acknowledge_reporter: bool = setting(
        True,
        label=_("Send an acknowledgement to the reporter"),
        help_text=_(
            "Email whoever opens a ticket from the widget or the portal its number "
            "(with a portal link when they have a portal login)."
        ),
    )

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024
