from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from snagdesk_server.core.config import settings_save
from snagdesk_server.core.errors import PermissionDenied, TooLarge, ValidationError
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets import services, thumbnails
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Reply, Ticket
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def png(size: tuple[int, int] = (800, 600), name: str = "shot.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def open_ticket(run):
    def open_(**kwargs):
        contact = kwargs.pop("contact", None) or factories.PortalContactFactory()
        defaults = {
            "actor": contact.user,
            "subject": "Checkout broken",
            "message": "It fails.",
            "source": "portal",
        }
        return run(services.ticket_open, contact=contact, **{**defaults, **kwargs})

    return open_


class TestTicketOpen:
    def test_numbers_tickets_in_sequence(self, open_ticket, run):
        first, second = open_ticket(), open_ticket()
        assert second.number == first.number + 1

    def test_takes_client_from_contact(self, open_ticket, run):
        contact = factories.PortalContactFactory()
        ticket = open_ticket(contact=contact)
        assert ticket.client == contact.client
        assert ticket.status == Ticket.Status.OPEN

    def test_takes_client_from_project_for_an_email_requester(self, staff_user, open_ticket, run):
        project = factories.ProjectFactory()
        ticket = run(
            services.ticket_open,
            actor=staff_user,
            subject="Down",
            message="Site down",
            source="staff",
            submitter_email="Visitor@Example.com",
            submitter_name="Vi",
            project=project,
        )
        assert ticket.client == project.client
        assert ticket.submitter_email == "visitor@example.com"

    def test_refuses_a_project_of_another_client(self, open_ticket, run):
        with pytest.raises(ValidationError) as error:
            open_ticket(project=factories.ProjectFactory())
        assert "project" in error.value.field_errors
        assert not Ticket.objects.exists()

    def test_needs_a_contact_or_an_email(self, staff_user, open_ticket, run):
        with pytest.raises(ValidationError) as error:
            run(services.ticket_open, actor=staff_user, subject="x", message="y", source="staff")
        assert "submitter_email" in error.value.field_errors

    @pytest.mark.parametrize(
        ("field", "value"), [("subject", "  "), ("message", ""), ("message", "x" * 10_001)]
    )
    def test_refuses_empty_or_overlong_text(self, field, value, open_ticket, run):
        with pytest.raises(ValidationError) as error:
            open_ticket(**{field: value})
        assert field in error.value.field_errors

    def test_applies_platform_default_priority_and_department(self, open_ticket, run):
        department = factories.DepartmentFactory()
        settings_save(
            TicketSettings,
            values={"default_priority": "high", "default_department_id": department.pk},
            actor=None,
        )
        ticket = open_ticket()
        assert (ticket.priority, ticket.department) == ("high", department)

    def test_refuses_an_inactive_assignee(self, open_ticket, run):
        with pytest.raises(ValidationError) as error:
            open_ticket(assignee=factories.StaffFactory(is_active=False))
        assert "assignee" in error.value.field_errors

    def test_mails_the_department_staff(self, open_ticket, run):
        agent = factories.StaffFactory()
        department = factories.DepartmentFactory()
        department.staff.add(agent)
        with_commit = open_ticket(department=department, subject="Broken cart")
        to_staff = [m for m in mail.outbox if "New ticket" in m.subject]
        assert [m.to for m in to_staff] == [[agent.email]]
        assert f"#{with_commit.number}" in to_staff[0].subject
        assert "Broken cart" in to_staff[0].subject

    def test_stores_tags_normalised(self, open_ticket, run):
        ticket = open_ticket(tags=["Checkout", " checkout ", "SEO"])
        assert sorted(ticket.tags.values_list("name", flat=True)) == ["checkout", "seo"]

    def test_writes_an_audit_entry(self, open_ticket, run):
        ticket = open_ticket()
        entry = AuditEntry.objects.get(object_id=str(ticket.pk), action="ticket.open")
        assert entry.actor == ticket.contact.user

    def test_stores_an_image_attachment_and_its_thumbnail(self, open_ticket, run):
        ticket = open_ticket(attachments=[png()])
        attachment = Attachment.objects.get(ticket=ticket)
        assert attachment.is_image
        assert attachment.content_type == "image/png"
        with attachment.thumbnail.open("rb") as fh, Image.open(fh) as thumb:
            assert max(thumb.size) <= 320

    def test_a_file_pretending_to_be_an_image_is_not_an_image(self, open_ticket, run):
        fake = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")
        ticket = open_ticket(attachments=[fake])
        attachment = ticket.attachments.get()
        assert not attachment.is_image
        assert (
            attachment.content_type == "image/png"
        )  # what the client said, never trusted for inline display
        assert not attachment.thumbnail

    def test_oversized_attachment_is_refused_and_nothing_is_saved(self, open_ticket, run):
        settings_save(TicketSettings, values={"attachment_max_mb": 1}, actor=None)
        big = SimpleUploadedFile(
            "dump.zip", b"0" * (1024 * 1024 + 1), content_type="application/zip"
        )
        with pytest.raises(TooLarge) as error:
            open_ticket(attachments=[big])
        assert error.value.status == 413
        assert "dump.zip" in error.value.message
        assert not Ticket.objects.exists()
        assert not Attachment.objects.exists()
        assert mail.outbox == []


class TestReplies:
    def test_staff_reply_marks_answered_and_mails_the_requester(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        mail.outbox.clear()
        run(services.ticket_reply, ticket=ticket, actor=staff_user, message="Fixed it.", now=NOW)
        ticket.refresh_from_db()
        assert (ticket.status, ticket.reply_count, ticket.last_reply_at) == ("answered", 1, NOW)
        assert [m.to for m in mail.outbox] == [[ticket.contact.email]]
        assert "Fixed it." in mail.outbox[0].body

    def test_contact_reply_reopens_a_closed_ticket_and_mails_the_assignee(
        self, staff_user, open_ticket, run
    ):
        ticket = open_ticket(assignee=staff_user)
        run(services.ticket_close, ticket=ticket, actor=staff_user)
        mail.outbox.clear()
        run(services.ticket_reply, ticket=ticket, actor=ticket.contact.user, message="Still broken")
        ticket.refresh_from_db()
        assert ticket.status == "open"
        assert ticket.closed_at is None
        assert [m.to for m in mail.outbox] == [[staff_user.email]]

    def test_contact_of_another_client_cannot_reply(self, open_ticket, run):
        ticket = open_ticket()
        stranger = factories.PortalContactFactory()
        with pytest.raises(PermissionDenied):
            run(services.ticket_reply, ticket=ticket, actor=stranger.user, message="hi")
        assert not Reply.objects.exists()

    def test_internal_note_is_silent_and_keeps_the_status(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        mail.outbox.clear()
        note = run(
            services.ticket_note_add, ticket=ticket, actor=staff_user, message="Customer is VIP"
        )
        ticket.refresh_from_db()
        assert note.is_internal
        assert ticket.status == "open"
        assert ticket.reply_count == 0
        assert mail.outbox == []

    def test_a_contact_cannot_add_an_internal_note(self, open_ticket, run):
        ticket = open_ticket()
        with pytest.raises(PermissionDenied):
            run(
                services.ticket_note_add, ticket=ticket, actor=ticket.contact.user, message="sneaky"
            )


class TestUpdate:
    def test_closing_sets_closed_at_and_reopening_clears_it(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        run(services.ticket_update, ticket=ticket, actor=staff_user, status="closed", now=NOW)
        ticket.refresh_from_db()
        assert ticket.closed_at == NOW
        run(services.ticket_update, ticket=ticket, actor=staff_user, status="in_progress")
        ticket.refresh_from_db()
        assert ticket.closed_at is None

    def test_records_what_changed_in_the_audit_log(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        run(
            services.ticket_update,
            ticket=ticket,
            actor=staff_user,
            priority="urgent",
            assignee=staff_user,
        )
        entry = AuditEntry.objects.get(object_id=str(ticket.pk), action="ticket.update")
        assert entry.changes["priority"] == ["medium", "urgent"]
        assert entry.changes["assignee"][1] == str(staff_user)

    def test_assigning_someone_else_mails_them(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        colleague = factories.StaffFactory()
        mail.outbox.clear()
        run(services.ticket_update, ticket=ticket, actor=staff_user, assignee=colleague)
        assert [m.to for m in mail.outbox] == [[colleague.email]]

    def test_an_update_that_changes_nothing_writes_nothing(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        before = AuditEntry.objects.count()
        run(
            services.ticket_update,
            ticket=ticket,
            actor=staff_user,
            status="open",
            priority=ticket.priority,
        )
        assert AuditEntry.objects.count() == before

    def test_assigning_the_current_assignee_again_writes_no_history_and_sends_no_email(
        self, staff_user, open_ticket, run
    ):
        ticket = open_ticket()
        colleague = factories.StaffFactory()
        run(services.ticket_update, ticket=ticket, actor=staff_user, assignee=colleague)
        before = AuditEntry.objects.count()
        mail.outbox.clear()

        run(services.ticket_update, ticket=ticket, actor=staff_user, assignee=colleague, now=NOW)

        assert AuditEntry.objects.count() == before
        assert mail.outbox == []
        ticket.refresh_from_db()
        assert ticket.updated_at != NOW

    def test_bulk_update_counts_and_touches_only_the_tickets_it_changes(
        self, staff_user, open_ticket, run
    ):
        held, fresh = open_ticket(), open_ticket()
        run(services.ticket_update, ticket=held, actor=staff_user, status="on_hold")
        held.refresh_from_db()
        untouched_at = held.updated_at

        count = run(
            services.ticket_bulk_update,
            tickets=[held, fresh],
            actor=staff_user,
            status="on_hold",
            now=NOW,
        )

        assert count == 1
        held.refresh_from_db()
        assert held.updated_at == untouched_at
        assert (
            AuditEntry.objects.filter(object_id=str(held.pk), action="ticket.update").count() == 1
        )

    @pytest.mark.parametrize(
        ("field", "value"), [("status", "done"), ("priority", "asap"), ("number", 3)]
    )
    def test_refuses_unknown_values(self, staff_user, field, value, open_ticket, run):
        ticket = open_ticket()
        with pytest.raises(ValidationError) as error:
            run(services.ticket_update, ticket=ticket, actor=staff_user, **{field: value})
        assert field in error.value.field_errors

    def test_bulk_update_is_all_or_nothing(self, staff_user, open_ticket, run):
        first, second = open_ticket(), open_ticket()
        inactive = factories.StaffFactory(is_active=False)
        with pytest.raises(ValidationError):
            services.ticket_bulk_update(
                tickets=[first, second], actor=staff_user, assignee=inactive
            )
        assert not Ticket.objects.filter(assignee__isnull=False).exists()
        assert (
            services.ticket_bulk_update(tickets=[first, second], actor=staff_user, status="on_hold")
            == 2
        )
        assert set(Ticket.objects.values_list("status", flat=True)) == {"on_hold"}


class TestAutoclose:
    def test_closes_answered_tickets_idle_past_the_limit_once(self, staff_user, open_ticket, run):
        stale, fresh = open_ticket(), open_ticket()
        run(
            services.ticket_reply,
            ticket=stale,
            actor=staff_user,
            message="done?",
            now=NOW - timedelta(days=8),
        )
        run(
            services.ticket_reply,
            ticket=fresh,
            actor=staff_user,
            message="done?",
            now=NOW - timedelta(days=2),
        )
        assert services.tickets_autoclose(now=NOW) == {"closed": 1}
        assert services.tickets_autoclose(now=NOW) == {"closed": 0}
        stale.refresh_from_db()
        fresh.refresh_from_db()
        assert (stale.status, fresh.status) == ("closed", "answered")
        assert (
            AuditEntry.objects.filter(object_id=str(stale.pk), action="ticket.update").count() == 1
        )

    def test_zero_days_disables_it(self, staff_user, open_ticket, run):
        ticket = open_ticket()
        run(
            services.ticket_reply,
            ticket=ticket,
            actor=staff_user,
            message="done?",
            now=NOW - timedelta(days=400),
        )
        settings_save(TicketSettings, values={"autoclose_after_days": 0}, actor=None)
        assert services.tickets_autoclose(now=NOW) == {"closed": 0}


class TestThumbnails:
    def test_making_a_thumbnail_twice_changes_nothing(self, open_ticket, run):
        ticket = open_ticket(attachments=[png()])
        attachment = ticket.attachments.get()
        name = attachment.thumbnail.name
        assert thumbnails.attachment_thumbnail_make(attachment_id=attachment.pk) is False
        attachment.refresh_from_db()
        assert attachment.thumbnail.name == name

    def test_an_image_over_a_lowered_pixel_limit_is_not_thumbnailed(
        self, settings, open_ticket, run
    ):
        ticket = open_ticket(attachments=[png((200, 200))])
        attachment = ticket.attachments.get()
        Attachment.objects.filter(pk=attachment.pk).update(thumbnail="")
        settings.IMAGE_MAX_PIXELS = 1000
        assert thumbnails.attachment_thumbnail_make(attachment_id=attachment.pk) is False
        attachment.refresh_from_db()
        assert not attachment.is_image
        assert not attachment.thumbnail
