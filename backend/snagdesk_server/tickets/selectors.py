"""Reads of tickets, always scoped to who asks: staff holding ``tickets.view`` see the
desk, a contact sees their own tickets (and the whole company's when they are its primary
contact)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.errors import NotFound, PermissionDenied
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Attachment, Department, Reply, Ticket

SORTS = {
    "updated": ("-updated_at", "-id"),
    "-updated": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "-created": ("created_at", "id"),
    "number": ("-number",),
    "-number": ("number",),
    "subject": ("subject", "id"),
    "-subject": ("-subject", "-id"),
}
OPEN_STATUSES = [s for s in Ticket.Status.values if s != Ticket.Status.CLOSED]


@dataclass
class TicketFilters:
    """The console's and the API's ticket filters; empty means "any"."""

    status: list[str] = field(default_factory=list)
    priority: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    department: int | None = None
    assignee: str = ""  # a staff id, "me" or "none"
    client: int | None = None
    project: int | None = None
    contact: int | None = None
    tag: str = ""
    search: str = ""
    sort: str = "updated"


def _search(qs: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    text = text.strip().lstrip("#")
    if not text:
        return qs
    condition = Q(subject__icontains=text) | Q(submitter_email__icontains=text)
    if text.isdigit():
        condition |= Q(number=int(text))
    return qs.filter(condition)


def _with_relations(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related(
        "client", "contact", "assignee", "department", "project"
    ).prefetch_related("tags")


def _staff_scope(user: User) -> QuerySet[Ticket]:
    """The tickets a staff member may read: the whole desk, given ``tickets.view``;
    ``PermissionDenied`` without it. Every selector given a staff ``user`` starts here."""
    if not has_module_perm(user, "tickets", "view"):
        raise PermissionDenied(_("You may not view tickets."))
    return Ticket.objects.all()


def ticket_list(*, user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    qs = _staff_scope(user)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.priority:
        qs = qs.filter(priority__in=filters.priority)
    if filters.source:
        qs = qs.filter(source__in=filters.source)
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.client:
        qs = qs.filter(client_id=filters.client)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    if filters.contact:
        qs = qs.filter(contact_id=filters.contact)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag.lower())
    qs = _search(qs, filters.search)
    return _with_relations(qs).order_by(*SORTS.get(filters.sort, SORTS["updated"]))


def ticket_get(*, user: User, number: int | str) -> Ticket:
    try:
        return _with_relations(_staff_scope(user).select_related("browser_info")).get(
            number=int(number)
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such ticket.")) from None


def _thread(ticket: Ticket) -> QuerySet[Reply]:
    return ticket.replies.select_related("author", "contact").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id"))
    )


def ticket_thread_staff(*, ticket: Ticket) -> list[Reply]:
    """Every message of the ticket, internal notes included."""
    return list(_thread(ticket))


def ticket_thread_public(*, ticket: Ticket) -> list[Reply]:
    """The messages the client sees: no internal notes."""
    return list(_thread(ticket).filter(is_internal=False))


def ticket_opening_attachments(*, ticket: Ticket) -> list[Attachment]:
    return list(ticket.attachments.filter(reply__isnull=True))


def attachment_get_for_staff(*, user: User, pk: int) -> Attachment:
    # The scope is the whole desk: checked once, rather than an IN over every ticket.
    _staff_scope(user)
    try:
        return Attachment.objects.select_related("ticket").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError):
        raise NotFound(_("No such attachment.")) from None


# What a contact may see -----------------------------------------------------------------


def _contact_scope(contact: Contact) -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(client_id=contact.client_id)
    return qs if contact.is_primary else qs.filter(contact=contact)


def ticket_list_for_contact(
    *, contact: Contact, status: str = "", search: str = ""
) -> QuerySet[Ticket]:
    qs = _contact_scope(contact)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Ticket.Status.values:
        qs = qs.filter(status=status)
    qs = _search(qs, search)
    return qs.select_related("project", "department", "contact").order_by("-updated_at", "-id")


def ticket_get_for_contact(*, contact: Contact, number: int | str) -> Ticket:
    try:
        return (
            _contact_scope(contact)
            .select_related("project", "department", "contact")
            .get(number=int(number))
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such ticket.")) from None


def attachment_get_for_contact(*, contact: Contact, pk: int) -> Attachment:
    """An attachment of a ticket the contact may see, never one on an internal note."""
    try:
        return (
            Attachment.objects.select_related("ticket")
            .filter(ticket__in=_contact_scope(contact))
            .exclude(reply__is_internal=True)
            .get(pk=pk)
        )
    except (Attachment.DoesNotExist, ValueError):
        raise NotFound(_("No such attachment.")) from None


# Dashboard --------------------------------------------------------------------------------


def ticket_counts(*, user: User) -> dict[str, Any]:
    tickets = _staff_scope(user)
    by_status = dict(tickets.values_list("status").annotate(n=Count("id")).order_by())
    by_priority = dict(
        tickets.filter(status__in=OPEN_STATUSES)
        .values_list("priority")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "by_status": [(s, label, by_status.get(s, 0)) for s, label in Ticket.Status.choices],
        "by_priority": [(p, label, by_priority.get(p, 0)) for p, label in Ticket.Priority.choices],
        "mine_open": tickets.filter(assignee=user, status__in=OPEN_STATUSES).count(),
        "unassigned_open": tickets.filter(assignee__isnull=True, status__in=OPEN_STATUSES).count(),
    }


def ticket_list_mine(*, user: User, limit: int = 10) -> list[Ticket]:
    return list(
        _with_relations(
            _staff_scope(user).filter(assignee=user, status__in=OPEN_STATUSES)
        ).order_by("-updated_at", "-id")[:limit]
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.annotate(staff_count=Count("staff", distinct=True)).order_by("name")


def department_list_active() -> QuerySet[Department]:
    """The departments a ticket can be put in."""
    return department_list().filter(is_active=True)


def department_get(*, pk: int) -> Department:
    try:
        return Department.objects.get(pk=pk)
    except (Department.DoesNotExist, ValueError):
        raise NotFound(_("No such department.")) from None


def ticket_counts_for_contact(*, contact: Contact) -> dict[str, int]:
    """The portal's home figures, in one query over the tickets the contact may see."""
    return _contact_scope(contact).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        answered=Count("id", filter=Q(status=Ticket.Status.ANSWERED)),
        closed=Count("id", filter=Q(status=Ticket.Status.CLOSED)),
    )


def assignable_staff() -> QuerySet[User]:
    """Who a ticket may be assigned to: the rule ``services._check_assignee`` enforces."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("full_name", "pk")


def ticket_list_by_numbers(*, user: User, numbers: Iterable[int]) -> QuerySet[Ticket]:
    """The tickets of a bulk action; numbers that do not exist are simply absent."""
    return _staff_scope(user).filter(number__in=list(numbers)).order_by("number")


@dataclass(frozen=True)
class TicketActivity:
    entry: AuditEntry
    ticket: Ticket | None  # None once the ticket has been deleted


def ticket_recent_activity(*, limit: int = 15) -> list[TicketActivity]:
    """The latest audit entries about tickets, each with its ticket (two queries)."""
    entries = list(
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Ticket))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    ids = {int(e.object_id) for e in entries if e.object_id.isdigit()}
    tickets = Ticket.objects.only("pk", "number", "subject", "status").in_bulk(ids)
    return [
        TicketActivity(
            entry=e, ticket=tickets.get(int(e.object_id)) if e.object_id.isdigit() else None
        )
        for e in entries
    ]


def ticket_list_latest(
    *, limit: int, client: Client | None = None, project: Project | None = None
) -> list[Ticket]:
    """The latest tickets of a client or a project, for their pages in the staff console."""
    qs = Ticket.objects.all()
    if client is not None:
        qs = qs.filter(client=client)
    if project is not None:
        qs = qs.filter(project=project)
    return list(qs.select_related("contact", "assignee").order_by("-updated_at", "-id")[:limit])


# The API's full ticket shape ---------------------------------------------------------------


def _with_opening_attachments(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    opening = Attachment.objects.filter(reply__isnull=True).order_by("created_at", "id")
    return qs.prefetch_related(
        Prefetch("attachments", queryset=opening, to_attr="opening_attachments")
    )


def ticket_list_with_attachments(*, user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    """``ticket_list`` with each ticket's opening attachments in ``opening_attachments``."""
    return _with_opening_attachments(ticket_list(user=user, filters=filters))


def ticket_get_with_attachments(*, user: User, number: int | str) -> Ticket:
    try:
        return _with_opening_attachments(_with_relations(_staff_scope(user))).get(
            number=int(number)
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such ticket.")) from None


def ticket_opened_with_attachments(*, ticket: Ticket) -> Ticket:
    """The ticket a staff member has just opened, in the API's full shape: who opened it
    sees it, even when their role may create tickets but not read the desk."""
    return _with_opening_attachments(_with_relations(Ticket.objects.all())).get(pk=ticket.pk)


def department_list_with_staff() -> QuerySet[Department]:
    """``department_list`` with the staff fetched in one query, for the API."""
    return department_list().prefetch_related("staff")
