"""The events tickets emit, after the change commits (``core.events``).

Every change of status emits ``ticket.status_changed``, whatever made it (an update, a
reply, the bulk update, the auto-close job); a change to closed also emits
``ticket.closed``, so a subscriber that only cares about closing need not read statuses.
"""

from __future__ import annotations

from snagdesk_server.core.events import Field, event_declare

_TICKET = {
    "ticket_id": Field(int, "The ticket's id."),
    "number": Field(int, "The ticket's number, as people quote it."),
}

TICKET_OPENED = event_declare(
    name="ticket.opened",
    description=(
        "A ticket was opened, from the console, the API, the portal or the widget. "
        "An assignee given at opening is in this payload; no `ticket.assigned` follows."
    ),
    payload={
        **_TICKET,
        "source": Field(str, "Where it came from: staff, portal, widget or api."),
        "priority": Field(str, "low, medium, high or urgent."),
        "client_id": Field(int, "The client's id.", nullable=True),
        "contact_id": Field(int, "The reporting contact's id.", nullable=True),
        "department_id": Field(int, "The department's id.", nullable=True),
        "assignee_id": Field(int, "The assigned staff member's id.", nullable=True),
    },
)

TICKET_REPLIED = event_declare(
    name="ticket.replied",
    description=(
        "A public reply was added, by staff or by the requester (internal notes emit "
        "nothing). The status change the reply makes, if any, follows as "
        "`ticket.status_changed`."
    ),
    payload={
        **_TICKET,
        "reply_id": Field(int, "The reply's id."),
        "from_staff": Field(bool, "True for a staff reply, false for the requester's."),
    },
)

TICKET_STATUS_CHANGED = event_declare(
    name="ticket.status_changed",
    description=(
        "The ticket's status changed, whatever changed it. Closing also emits `ticket.closed`."
    ),
    payload={
        **_TICKET,
        "before": Field(str, "The status it had."),
        "after": Field(str, "The status it has now."),
    },
)

TICKET_ASSIGNED = event_declare(
    name="ticket.assigned",
    description="The ticket's assignee changed after it was opened, including to nobody.",
    payload={
        **_TICKET,
        "assignee_id": Field(int, "The new assignee's id; null when unassigned.", nullable=True),
        "previous_assignee_id": Field(int, "The previous assignee's id.", nullable=True),
    },
)

TICKET_CLOSED = event_declare(
    name="ticket.closed",
    description=(
        "The ticket was closed, by staff, the bulk update or the auto-close job; emitted "
        "after the `ticket.status_changed` of the same change."
    ),
    payload={
        **_TICKET,
        "closed_at": Field(str, "When, as an ISO 8601 timestamp."),
    },
)
