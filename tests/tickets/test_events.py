"""Each ticket service emits its events once, after the commit, with JSON-safe payloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.events import Event
from snagdesk_server.tickets import services
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.filing import submission_file
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _names(emitted: list[Event]) -> list[str]:
    return [event.name for event in emitted]


def _ticket(**fields) -> Ticket:  # type: ignore[no-untyped-def]
    return factories.TicketFactory(**fields)


def test_opening_emits_ticket_opened_with_the_ticket(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    contact = factories.PortalContactFactory()
    department = factories.DepartmentFactory()

    ticket = run(
        services.ticket_open,
        actor=contact.user,
        contact=contact,
        subject="Checkout broken",
        message="It fails.",
        source="portal",
        priority="high",
        department=department,
        assignee=staff_user,
        now=NOW,
    )

    assert [(e.name, dict(e.payload), e.actor_id, e.occurred_at) for e in emitted] == [
        (
            "ticket.opened",
            {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "source": "portal",
                "priority": "high",
                "client_id": contact.client_id,
                "contact_id": contact.pk,
                "department_id": department.pk,
                "assignee_id": staff_user.pk,
            },
            contact.user.pk,
            NOW,
        )
    ]


def test_a_widget_report_filed_twice_emits_ticket_opened_once(emitted, run) -> None:  # type: ignore[no-untyped-def]
    submission = factories.SubmissionFactory()

    run(submission_file, submission_id=submission.pk, now=NOW)
    run(submission_file, submission_id=submission.pk, now=NOW)

    assert _names(emitted) == ["ticket.opened"]
    assert emitted[0].payload["source"] == "widget"
    assert emitted[0].payload["number"] == submission.number


def test_an_opening_refused_emits_nothing(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        run(
            services.ticket_open,
            actor=staff_user,
            subject="",
            message="It fails.",
            source="staff",
            submitter_email="a@example.com",
        )

    assert emitted == []


def test_a_staff_reply_emits_ticket_replied_then_the_status_change(
    staff_user, emitted, run
) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket()

    reply = run(services.ticket_reply, ticket=ticket, actor=staff_user, message="Fixed.", now=NOW)

    assert [(e.name, dict(e.payload)) for e in emitted] == [
        (
            "ticket.replied",
            {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "reply_id": reply.pk,
                "from_staff": True,
            },
        ),
        (
            "ticket.status_changed",
            {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "before": "open",
                "after": "answered",
            },
        ),
    ]


def test_a_reply_that_keeps_the_status_emits_only_ticket_replied(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(status=Ticket.Status.ANSWERED)

    run(services.ticket_reply, ticket=ticket, actor=staff_user, message="And another thing.")

    assert _names(emitted) == ["ticket.replied"]


def test_the_requesters_reply_to_a_closed_ticket_reopens_it(emitted, run) -> None:  # type: ignore[no-untyped-def]
    contact = factories.PortalContactFactory()
    ticket = _ticket(contact=contact, status=Ticket.Status.CLOSED)

    run(services.ticket_reply, ticket=ticket, actor=contact.user, message="Still broken.")

    assert [(e.name, e.payload.get("from_staff"), e.payload.get("after")) for e in emitted] == [
        ("ticket.replied", False, None),
        ("ticket.status_changed", None, "open"),
    ]


def test_an_internal_note_emits_nothing(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    run(services.ticket_note_add, ticket=_ticket(), actor=staff_user, message="Between us.")

    assert emitted == []


def test_a_status_change_emits_ticket_status_changed(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket()

    run(services.ticket_update, ticket=ticket, actor=staff_user, status="in_progress")

    assert [(e.name, dict(e.payload)) for e in emitted] == [
        (
            "ticket.status_changed",
            {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "before": "open",
                "after": "in_progress",
            },
        )
    ]


def test_closing_emits_the_status_change_then_ticket_closed(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(status=Ticket.Status.ANSWERED)

    run(services.ticket_close, ticket=ticket, actor=staff_user, now=NOW)

    assert [(e.name, dict(e.payload)) for e in emitted] == [
        (
            "ticket.status_changed",
            {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "before": "answered",
                "after": "closed",
            },
        ),
        (
            "ticket.closed",
            {"ticket_id": ticket.pk, "number": ticket.number, "closed_at": NOW.isoformat()},
        ),
    ]


def test_assigning_emits_ticket_assigned_with_the_previous_assignee(
    staff_user, emitted, run
) -> None:  # type: ignore[no-untyped-def]
    before = factories.StaffFactory()
    ticket = _ticket(assignee=before)

    run(services.ticket_update, ticket=ticket, actor=staff_user, assignee=staff_user)
    run(services.ticket_update, ticket=ticket, actor=staff_user, assignee=None)

    assert [
        (e.name, e.payload["assignee_id"], e.payload["previous_assignee_id"]) for e in emitted
    ] == [
        ("ticket.assigned", staff_user.pk, before.pk),
        ("ticket.assigned", None, staff_user.pk),
    ]


def test_an_update_that_changes_nothing_emits_nothing(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(status=Ticket.Status.OPEN)

    run(services.ticket_update, ticket=ticket, actor=staff_user, status="open", priority="medium")

    assert emitted == []


def test_a_priority_change_emits_no_ticket_event(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    run(services.ticket_update, ticket=_ticket(), actor=staff_user, priority="urgent")

    assert emitted == []


def test_a_bulk_close_emits_for_every_ticket_it_changes(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    first, second = _ticket(), _ticket()
    already = _ticket(status=Ticket.Status.CLOSED)

    run(
        services.ticket_bulk_update,
        tickets=[first, second, already],
        actor=staff_user,
        status="closed",
    )

    assert [(e.name, e.payload["number"]) for e in emitted] == [
        ("ticket.status_changed", first.number),
        ("ticket.closed", first.number),
        ("ticket.status_changed", second.number),
        ("ticket.closed", second.number),
    ]


def test_a_bulk_update_refused_halfway_emits_nothing(staff_user, emitted, run) -> None:  # type: ignore[no-untyped-def]
    first, second = _ticket(), _ticket()
    # The first ticket takes the change; the second refuses a project of another client.
    project = factories.ProjectFactory(client=first.client)

    with pytest.raises(ValidationError):
        run(
            services.ticket_bulk_update,
            tickets=[first, second],
            actor=staff_user,
            status="closed",
            project=project,
        )

    assert emitted == []
    first.refresh_from_db()
    assert first.status == Ticket.Status.OPEN


def test_the_autoclose_job_emits_ticket_closed_by_nobody(emitted, run) -> None:  # type: ignore[no-untyped-def]
    stale = _ticket(status=Ticket.Status.ANSWERED, last_reply_at=NOW - timedelta(days=30))

    run(services.tickets_autoclose, now=NOW)

    assert [(e.name, e.payload["number"], e.actor_id) for e in emitted] == [
        ("ticket.status_changed", stale.number, None),
        ("ticket.closed", stale.number, None),
    ]
