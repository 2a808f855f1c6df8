"""The resources of a client (``client.tickets``, ``client.clients``…), sync and async.

Each method is an operation of ``_operations`` bound to the client; its arguments and
docstring are the operation's. See ``docs/sdk.md`` for the full reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snagdesk import _operations as op
from snagdesk._binding import (
    AsyncResource,
    SyncResource,
    async_call,
    async_list,
    sync_call,
    sync_list,
)

if TYPE_CHECKING:
    from snagdesk.client import AsyncSnagdesk, Snagdesk

__all__ = [
    "AsyncClients",
    "AsyncContacts",
    "AsyncDepartments",
    "AsyncProjects",
    "AsyncTicketNotes",
    "AsyncTicketReplies",
    "AsyncTickets",
    "AsyncWidgetTokens",
    "Clients",
    "Contacts",
    "Departments",
    "Projects",
    "TicketNotes",
    "TicketReplies",
    "Tickets",
    "WidgetTokens",
]


# Sync -------------------------------------------------------------------------------


class TicketReplies(SyncResource):
    """A ticket's thread (``/tickets/{number}/replies/``)."""

    list = sync_call(op.tickets_replies_list)
    create = sync_call(op.tickets_replies_create)


class TicketNotes(SyncResource):
    """A ticket's internal notes (``/tickets/{number}/notes/``)."""

    create = sync_call(op.tickets_notes_create)


class Tickets(SyncResource):
    """Tickets (``/tickets/``), addressed by number."""

    list = sync_list(op.tickets_list)
    get = sync_call(op.tickets_get)
    create = sync_call(op.tickets_create)
    update = sync_call(op.tickets_update)
    assign = sync_call(op.tickets_assign)
    close = sync_call(op.tickets_close)

    def __init__(self, client: Snagdesk) -> None:
        super().__init__(client)
        self.replies = TicketReplies(client)
        self.notes = TicketNotes(client)


class Clients(SyncResource):
    """Clients, the companies the agency works for (``/clients/``)."""

    list = sync_list(op.clients_list)
    get = sync_call(op.clients_get)
    create = sync_call(op.clients_create)
    update = sync_call(op.clients_update)


class Contacts(SyncResource):
    """Contacts, the people at a client (``/contacts/``)."""

    list = sync_list(op.contacts_list)
    get = sync_call(op.contacts_get)
    create = sync_call(op.contacts_create)
    update = sync_call(op.contacts_update)


class Projects(SyncResource):
    """Projects owned by a client (``/projects/``)."""

    list = sync_list(op.projects_list)
    get = sync_call(op.projects_get)
    create = sync_call(op.projects_create)
    update = sync_call(op.projects_update)


class Departments(SyncResource):
    """Departments tickets are routed to (``/departments/``)."""

    list = sync_list(op.departments_list)
    get = sync_call(op.departments_get)
    create = sync_call(op.departments_create)
    update = sync_call(op.departments_update)


class WidgetTokens(SyncResource):
    """Widget tokens, one per client site (``/widget-tokens/``)."""

    list = sync_list(op.widget_tokens_list)
    get = sync_call(op.widget_tokens_get)
    create = sync_call(op.widget_tokens_create)
    update = sync_call(op.widget_tokens_update)
    rotate = sync_call(op.widget_tokens_rotate)
    disable = sync_call(op.widget_tokens_disable)
    enable = sync_call(op.widget_tokens_enable)


# Async ------------------------------------------------------------------------------


class AsyncTicketReplies(AsyncResource):
    """A ticket's thread (``/tickets/{number}/replies/``)."""

    list = async_call(op.tickets_replies_list)
    create = async_call(op.tickets_replies_create)


class AsyncTicketNotes(AsyncResource):
    """A ticket's internal notes (``/tickets/{number}/notes/``)."""

    create = async_call(op.tickets_notes_create)


class AsyncTickets(AsyncResource):
    """Tickets (``/tickets/``), addressed by number."""

    list = async_list(op.tickets_list)
    get = async_call(op.tickets_get)
    create = async_call(op.tickets_create)
    update = async_call(op.tickets_update)
    assign = async_call(op.tickets_assign)
    close = async_call(op.tickets_close)

    def __init__(self, client: AsyncSnagdesk) -> None:
        super().__init__(client)
        self.replies = AsyncTicketReplies(client)
        self.notes = AsyncTicketNotes(client)


class AsyncClients(AsyncResource):
    """Clients, the companies the agency works for (``/clients/``)."""

    list = async_list(op.clients_list)
    get = async_call(op.clients_get)
    create = async_call(op.clients_create)
    update = async_call(op.clients_update)


class AsyncContacts(AsyncResource):
    """Contacts, the people at a client (``/contacts/``)."""

    list = async_list(op.contacts_list)
    get = async_call(op.contacts_get)
    create = async_call(op.contacts_create)
    update = async_call(op.contacts_update)


class AsyncProjects(AsyncResource):
    """Projects owned by a client (``/projects/``)."""

    list = async_list(op.projects_list)
    get = async_call(op.projects_get)
    create = async_call(op.projects_create)
    update = async_call(op.projects_update)


class AsyncDepartments(AsyncResource):
    """Departments tickets are routed to (``/departments/``)."""

    list = async_list(op.departments_list)
    get = async_call(op.departments_get)
    create = async_call(op.departments_create)
    update = async_call(op.departments_update)


class AsyncWidgetTokens(AsyncResource):
    """Widget tokens, one per client site (``/widget-tokens/``)."""

    list = async_list(op.widget_tokens_list)
    get = async_call(op.widget_tokens_get)
    create = async_call(op.widget_tokens_create)
    update = async_call(op.widget_tokens_update)
    rotate = async_call(op.widget_tokens_rotate)
    disable = async_call(op.widget_tokens_disable)
    enable = async_call(op.widget_tokens_enable)
