"""Support packages' reads: the overview of assignments, one assignment with its
batches and ledger, and a contact's balance (for a ticket page or the portal)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.errors import NotFound
from snagdesk_server.support_packages.models import (
    Assignment,
    Batch,
    DiscountTier,
    Entry,
    PackageType,
)
from snagdesk_server.support_packages.services import Discount, discount_for

STATUSES = ("active", "inactive", "overage", "all")


def package_type_list() -> QuerySet[PackageType]:
    return PackageType.objects.prefetch_related(
        Prefetch("tiers", queryset=DiscountTier.objects.order_by("month"))
    )


def package_type_get(pk: int) -> PackageType:
    found = package_type_list().filter(pk=pk).first()
    if found is None:
        raise NotFound(code="package_type_not_found")
    return found


def assignment_list(
    *,
    search: str = "",
    status: str = "active",
    package_type: int | None = None,
    contact: int | None = None,
) -> QuerySet[Assignment]:
    """The overview: assignments with their contact, company and type (tiers
    prefetched, for the current discount), filtered and searched."""
    found = Assignment.objects.select_related("contact__client", "package_type").prefetch_related(
        Prefetch("package_type__tiers", queryset=DiscountTier.objects.order_by("month"))
    )
    if status == "active":
        found = found.filter(active=True)
    elif status == "inactive":
        found = found.filter(active=False)
    elif status == "overage":
        found = found.filter(active=True, balance__lt=0)
    if package_type is not None:
        found = found.filter(package_type_id=package_type)
    if contact is not None:
        found = found.filter(contact_id=contact)
    for word in search.split():
        found = found.filter(
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(contact__email__icontains=word)
            | Q(contact__client__name__icontains=word)
            | Q(package_type__name__icontains=word)
        )
    return found


def assignment_get(pk: int) -> Assignment:
    found = assignment_list(status="all").filter(pk=pk).first()
    if found is None:
        raise NotFound(code="assignment_not_found")
    return found


def current_discount(assignment: Assignment) -> Discount:
    """The tier of the assignment's current subscription month (tiers prefetched)."""
    package_type = assignment.package_type
    return discount_for(package_type, list(package_type.tiers.all()), assignment.subscription_month)


@dataclass(frozen=True)
class Usage:
    """Units granted, used and remaining for an assignment, from its ledger."""

    granted: int
    used: int
    remaining: int


def assignment_usage(assignment: Assignment) -> Usage:
    """Granted: what grants and additions by hand gave; used: what consumptions took,
    less what reversals gave back."""
    given = Q(kind__in=[Entry.Kind.GRANT, Entry.Kind.ADJUST], units__gt=0)
    taken = Q(kind__in=[Entry.Kind.CONSUME, Entry.Kind.REVERSE])
    sums = Entry.objects.filter(assignment=assignment).aggregate(
        granted=Coalesce(Sum("units", filter=given), 0),
        used=Coalesce(Sum("units", filter=taken), 0),
    )
    return Usage(granted=sums["granted"], used=-sums["used"], remaining=assignment.balance)


def assignment_batches(assignment: Assignment) -> QuerySet[Batch]:
    return Batch.objects.filter(assignment=assignment).select_related("grant")


def assignment_ledger(assignment: Assignment) -> QuerySet[Entry]:
    """Every movement, newest first, with its actor and ticket."""
    return (
        Entry.objects.filter(assignment=assignment)
        .select_related("actor", "ticket")
        .order_by("-pk")
    )


def contact_assignments(contact: Contact) -> QuerySet[Assignment]:
    """A contact's own active packages: what the portal and a ticket page show. Scoped
    by the contact, so nobody sees another contact's packages through it."""
    return assignment_list(contact=contact.pk)
