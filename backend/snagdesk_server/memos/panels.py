"""What memos add to other pages through the module registry (core.modules): the
dashboard's card, and the memo log of a client, a project and a ticket, each with a
link to write one about it. Every panel reads only what its viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from snagdesk_server.accounts.models import Client
from snagdesk_server.core.decorators import StaffRequest
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.memos import selectors
from snagdesk_server.memos.models import Memo
from snagdesk_server.memos.selectors import MemoFilters
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket

LOG_LENGTH = 10


def dashboard(request: StaffRequest, _: None) -> dict[str, Any]:
    pinned = selectors.memo_list(user=request.user, filters=MemoFilters(pinned=True))
    return {
        "memo_counts": selectors.memo_counts(user=request.user),
        "pinned_memos": list(pinned[:3]),
    }


def _log(request: StaffRequest, memos: QuerySet[Memo], *, param: str, value: Any) -> dict[str, Any]:
    newest = list(memos.order_by("-created_at", "-pk")[: LOG_LENGTH + 1])
    return {
        "memo_log": newest[:LOG_LENGTH],
        "memo_log_more": len(newest) > LOG_LENGTH,
        "memo_query": f"{param}={value}",
        "may_write_memo": has_module_perm(request.user, "memos", "create"),
    }


def client_log(request: StaffRequest, client: Client) -> dict[str, Any]:
    memos = selectors.memo_list(user=request.user, filters=MemoFilters(client=client))
    return _log(request, memos, param="client", value=client.pk)


def project_log(request: StaffRequest, project: Project) -> dict[str, Any]:
    memos = selectors.memo_list(user=request.user, filters=MemoFilters(project=project))
    return _log(request, memos, param="project", value=project.pk)


def ticket_log(request: StaffRequest, ticket: Ticket) -> dict[str, Any]:
    memos = selectors.memo_list(user=request.user, filters=MemoFilters(ticket=ticket))
    return _log(request, memos, param="ticket", value=ticket.number)
