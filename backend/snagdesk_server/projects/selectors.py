from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client
from snagdesk_server.core.errors import NotFound
from snagdesk_server.projects.models import Project


def project_list(
    *, client: Client | None = None, search: str = "", status: str = ""
) -> QuerySet[Project]:
    qs = Project.objects.select_related("client").annotate(
        ticket_count=Count("tickets", distinct=True)
    )
    if client is not None:
        qs = qs.filter(client=client)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(client__name__icontains=search))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "pk")


def project_get(*, pk: int) -> Project:
    try:
        return Project.objects.select_related("client").get(pk=pk)
    except (Project.DoesNotExist, ValueError):
        raise NotFound(_("No such project.")) from None


def project_list_with_members(
    *, client: Client | None = None, search: str = "", status: str = ""
) -> QuerySet[Project]:
    """``project_list`` with the members fetched in one query, for the API."""
    return project_list(client=client, search=search, status=status).prefetch_related("members")
