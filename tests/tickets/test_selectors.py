from __future__ import annotations

import pytest

from snagdesk_server.core.errors import NotFound, PermissionDenied
from snagdesk_server.tickets import selectors
from snagdesk_server.tickets.selectors import TicketFilters
from tests import factories

pytestmark = pytest.mark.django_db


def numbers(qs) -> set[int]:
    return set(qs.values_list("number", flat=True))


class TestContactScope:
    def test_a_contact_sees_only_their_own_tickets(self):
        me = factories.PortalContactFactory()
        colleague = factories.ContactFactory(client=me.client)
        mine = factories.TicketFactory(contact=me)
        factories.TicketFactory(contact=colleague)
        factories.TicketFactory()
        assert numbers(selectors.ticket_list_for_contact(contact=me)) == {mine.number}

    def test_the_primary_contact_sees_the_whole_company(self):
        primary = factories.PortalContactFactory(is_primary=True)
        colleague = factories.ContactFactory(client=primary.client)
        ours = {
            factories.TicketFactory(contact=primary).number,
            factories.TicketFactory(contact=colleague).number,
        }
        factories.TicketFactory()
        assert numbers(selectors.ticket_list_for_contact(contact=primary)) == ours

    def test_another_clients_ticket_is_not_found(self):
        me = factories.PortalContactFactory(is_primary=True)
        theirs = factories.TicketFactory()
        with pytest.raises(NotFound):
            selectors.ticket_get_for_contact(contact=me, number=theirs.number)

    def test_attachments_of_internal_notes_are_not_found(self):
        me = factories.PortalContactFactory()
        ticket = factories.TicketFactory(contact=me)
        note = factories.ReplyFactory(ticket=ticket, is_internal=True)
        attachment = ticket.attachments.create(
            reply=note,
            file="tickets/x/n.txt",
            original_name="n.txt",
            content_type="text/plain",
            size=1,
            created_at=ticket.created_at,
        )
        with pytest.raises(NotFound):
            selectors.attachment_get_for_contact(contact=me, pk=attachment.pk)


class TestStaffScope:
    """Every selector given a staff ``user`` reads only what ``tickets.view`` allows."""

    READS = {
        "ticket_list": lambda user, t: selectors.ticket_list(user=user, filters=TicketFilters()),
        "ticket_get": lambda user, t: selectors.ticket_get(user=user, number=t.number),
        "attachment_get_for_staff": lambda user, t: selectors.attachment_get_for_staff(
            user=user, pk=t.attachments.get().pk
        ),
        "ticket_counts": lambda user, t: selectors.ticket_counts(user=user),
        "ticket_list_mine": lambda user, t: selectors.ticket_list_mine(user=user),
        "ticket_list_by_numbers": lambda user, t: selectors.ticket_list_by_numbers(
            user=user, numbers=[t.number]
        ),
        "ticket_list_with_attachments": lambda user, t: selectors.ticket_list_with_attachments(
            user=user, filters=TicketFilters()
        ),
        "ticket_get_with_attachments": lambda user, t: selectors.ticket_get_with_attachments(
            user=user, number=t.number
        ),
    }

    @pytest.fixture
    def ticket(self):
        ticket = factories.TicketFactory()
        ticket.attachments.create(
            file="tickets/x/a.txt",
            original_name="a.txt",
            content_type="text/plain",
            size=1,
            created_at=ticket.created_at,
        )
        return ticket

    @pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
    def test_staff_without_the_view_permission_are_refused(self, read, ticket):
        editor = factories.staff_with_permissions("clients.view", "tickets.edit")
        with pytest.raises(PermissionDenied):
            read(editor, ticket)

    @pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
    def test_a_portal_user_is_refused(self, read, ticket):
        with pytest.raises(PermissionDenied):
            read(factories.PortalContactFactory().user, ticket)

    def test_the_view_permission_alone_reads_the_ticket_and_its_attachment(self, ticket):
        viewer = factories.staff_with_permissions("tickets.view")
        attachment = ticket.attachments.get()
        assert selectors.ticket_get(user=viewer, number=ticket.number) == ticket
        assert selectors.attachment_get_for_staff(user=viewer, pk=attachment.pk) == attachment


class TestStaffFilters:
    def test_filters_combine(self, staff_user):
        department = factories.DepartmentFactory()
        hit = factories.TicketFactory(status="open", priority="high", department=department)
        factories.TicketFactory(status="open", priority="low", department=department)
        factories.TicketFactory(status="closed", priority="high", department=department)
        filters = TicketFilters(status=["open"], priority=["high"], department=department.pk)
        assert numbers(selectors.ticket_list(user=staff_user, filters=filters)) == {hit.number}

    def test_assignee_me_and_none(self, staff_user):
        mine = factories.TicketFactory(assignee=staff_user)
        nobodys = factories.TicketFactory()
        factories.TicketFactory(assignee=factories.StaffFactory())
        me = selectors.ticket_list(user=staff_user, filters=TicketFilters(assignee="me"))
        none = selectors.ticket_list(user=staff_user, filters=TicketFilters(assignee="none"))
        assert (numbers(me), numbers(none)) == ({mine.number}, {nobodys.number})

    def test_search_matches_subject_email_and_number(self, staff_user):
        by_subject = factories.TicketFactory(subject="Invoice PDF is blank")
        by_number = factories.TicketFactory()
        factories.TicketFactory(subject="Other")

        def search(text: str) -> set[int]:
            return numbers(
                selectors.ticket_list(user=staff_user, filters=TicketFilters(search=text))
            )

        assert search("invoice pdf") == {by_subject.number}
        assert search(f"#{by_number.number}") == {by_number.number}
