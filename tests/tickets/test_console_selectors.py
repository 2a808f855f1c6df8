"""Selectors the staff console added: who can be assigned, bulk targets, recent activity."""

from __future__ import annotations

import pytest

from snagdesk_server.accounts.models import User
from snagdesk_server.core.services import audit_record
from snagdesk_server.tickets import audit, selectors
from tests import factories

pytestmark = pytest.mark.django_db


def test_assignable_staff_are_the_active_staff_members() -> None:
    active = factories.StaffFactory(full_name="Ann")
    factories.StaffFactory(full_name="Gone", is_active=False)
    factories.UserFactory(full_name="Portal user")

    assert list(selectors.assignable_staff()) == [active]


def test_tickets_by_numbers_skips_unknown_numbers(staff_user: User) -> None:
    first, second, _ = factories.TicketFactory.create_batch(3)

    found = selectors.ticket_list_by_numbers(
        user=staff_user, numbers=[second.number, first.number, 999]
    )

    assert list(found) == [first, second]


def test_recent_activity_lists_ticket_entries_newest_first_with_their_ticket(
    staff_user: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first, second = factories.TicketFactory.create_batch(2)
    audit_record(actor=staff_user, action=audit.TICKET_OPEN, target=first)
    audit_record(
        actor=staff_user, action=audit.DEPARTMENT_CREATE, target=factories.DepartmentFactory()
    )
    audit_record(actor=None, action=audit.TICKET_UPDATE, target=second)
    deleted = factories.TicketFactory()
    audit_record(actor=staff_user, action=audit.TICKET_NOTE, target=deleted)
    deleted.delete()

    with django_assert_num_queries(2):
        activity = selectors.ticket_recent_activity(limit=10)

    assert [(a.entry.action, a.ticket) for a in activity] == [
        ("ticket.note", None),
        ("ticket.update", second),
        ("ticket.open", first),
    ]
    assert activity[2].entry.actor == staff_user


def test_recent_activity_keeps_to_the_limit(staff_user: User) -> None:
    ticket = factories.TicketFactory()
    for _ in range(4):
        audit_record(actor=staff_user, action=audit.TICKET_UPDATE, target=ticket)

    assert len(selectors.ticket_recent_activity(limit=3)) == 3
