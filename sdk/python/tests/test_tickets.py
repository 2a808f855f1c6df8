"""Tickets against the live server: open, read, list over pages, change, answer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import LiveServer

from snagdesk import NotFoundError, Snagdesk, Ticket


def _tag() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def _open(desk: Snagdesk, tag: str, subject: str = "The contact form is broken") -> Ticket:
    return desk.tickets.create(
        subject=subject,
        message="Nothing happens when I press Send.",
        submitter_email="visitor@example.com",
        tags=[tag],
    )


def test_create_returns_a_typed_ticket_with_aware_datetimes(desk: Snagdesk) -> None:
    before = datetime.now(UTC)

    ticket = desk.tickets.create(
        subject="Logo is blurry",
        message="On the home page.",
        submitter_email="visitor@example.com",
        submitter_name="Vera Visitor",
        priority="high",
        tags=["design"],
    )

    assert isinstance(ticket, Ticket)
    assert ticket.number > 0
    assert (ticket.subject, ticket.status, ticket.priority, ticket.source) == (
        "Logo is blurry",
        "open",
        "high",
        "api",
    )
    assert ticket.submitter_name == "Vera Visitor"
    assert ticket.tags == ["design"]
    assert ticket.closed_at is None
    assert isinstance(ticket.created_at, datetime)
    assert ticket.created_at.tzinfo is not None
    assert ticket.created_at >= before.replace(microsecond=0)


def test_create_twice_with_one_idempotency_key_opens_one_ticket(desk: Snagdesk) -> None:
    tag = _tag()

    def create() -> Ticket:
        return desk.tickets.create(
            subject="Checkout fails",
            message="Card declined.",
            submitter_email="visitor@example.com",
            tags=[tag],
            idempotency_key=f"k-{tag}",
        )

    first, again = create(), create()

    assert again.number == first.number
    assert [t.number for t in desk.tickets.list(tag=tag)] == [first.number]


def test_get_reads_back_the_ticket_by_number(desk: Snagdesk) -> None:
    created = _open(desk, _tag())

    fetched = desk.tickets.get(created.number)

    assert fetched.id == created.id
    assert fetched.subject == created.subject
    assert fetched.raw["number"] == created.number


def test_list_follows_every_page(desk: Snagdesk) -> None:
    tag = _tag()
    numbers = {_open(desk, tag, subject=f"Ticket {i}").number for i in range(7)}

    listed = [t.number for t in desk.tickets.list(tag=tag, page_size=3)]

    assert sorted(listed) == sorted(numbers)
    assert len(listed) == 7


def test_one_page_gives_count_links_and_results(desk: Snagdesk) -> None:
    tag = _tag()
    for i in range(5):
        _open(desk, tag, subject=f"Ticket {i}")
    pager = desk.tickets.list(tag=tag, page_size=2, ordering="-number")

    first, second, last = pager.page(1), pager.page(2), pager.page(3)

    assert (first.count, len(first), first.previous) == (5, 2, None)
    assert first.next is not None
    assert second.previous is not None
    assert (len(last), last.next) == (1, None)
    numbers = [t.number for page in (first, second, last) for t in page]
    assert numbers == sorted(numbers)  # "-number": lowest first


def test_a_page_past_the_last_is_not_found(desk: Snagdesk) -> None:
    tag = _tag()
    _open(desk, tag)

    with pytest.raises(NotFoundError) as caught:
        desk.tickets.list(tag=tag).page(2)

    assert caught.value.status == 404


def test_list_filters_by_status_and_priority(desk: Snagdesk) -> None:
    tag = _tag()
    urgent = desk.tickets.create(
        subject="Site down",
        message="500 everywhere",
        submitter_email="a@example.com",
        priority="urgent",
        tags=[tag],
    )
    low = desk.tickets.create(
        subject="Typo",
        message="Footer",
        submitter_email="a@example.com",
        priority="low",
        tags=[tag],
    )
    desk.tickets.close(low.number)

    assert [t.number for t in desk.tickets.list(tag=tag, priority="urgent")] == [urgent.number]
    assert [t.number for t in desk.tickets.list(tag=tag, status="closed")] == [low.number]
    both = desk.tickets.list(tag=tag, status=["open", "closed"])
    assert {t.number for t in both} == {urgent.number, low.number}


def test_list_searches_the_subject(desk: Snagdesk) -> None:
    tag = _tag()
    word = uuid.uuid4().hex[:12]
    wanted = _open(desk, tag, subject=f"Checkout {word} fails")
    _open(desk, tag, subject="Something else")

    assert [t.number for t in desk.tickets.list(q=word)] == [wanted.number]


def test_update_changes_only_the_fields_given(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())

    updated = desk.tickets.update(ticket.number, priority="urgent", tags=["a", "b"])

    assert updated.priority == "urgent"
    assert sorted(updated.tags) == ["a", "b"]
    assert updated.subject == ticket.subject
    assert updated.status == ticket.status


def test_assign_and_unassign(desk: Snagdesk, live_server: LiveServer) -> None:
    ticket = _open(desk, _tag())

    assigned = desk.tickets.assign(ticket.number, live_server.reader_id)
    mine = list(desk.tickets.list(assignee=live_server.reader_id))
    unassigned = desk.tickets.assign(ticket.number, None)

    assert assigned.assignee is not None
    assert assigned.assignee.id == live_server.reader_id
    assert assigned.assignee.name == "Rex Reader"
    assert ticket.number in {t.number for t in mine}
    assert unassigned.assignee is None


def test_update_with_none_unassigns(desk: Snagdesk, live_server: LiveServer) -> None:
    ticket = _open(desk, _tag())
    desk.tickets.assign(ticket.number, live_server.admin_id)

    assert desk.tickets.update(ticket.number, assignee=None).assignee is None


def test_close_sets_the_status_and_closed_at(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())

    closed = desk.tickets.close(ticket.number)

    assert closed.status == "closed"
    assert isinstance(closed.closed_at, datetime)


def test_reply_is_public_and_answers_the_ticket(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())

    reply = desk.tickets.replies.create(ticket.number, message="Fixed, thanks!")

    assert (reply.message, reply.is_internal, reply.from_staff) == ("Fixed, thanks!", False, True)
    assert reply.author is not None
    assert reply.author.name == "Ada Admin"
    after = desk.tickets.get(ticket.number)
    assert (after.status, after.reply_count) == ("answered", 1)


def test_note_is_internal_and_leaves_the_status(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())

    note = desk.tickets.notes.create(ticket.number, message="Called the client.")

    assert note.is_internal is True
    after = desk.tickets.get(ticket.number)
    assert (after.status, after.reply_count) == ("open", 0)


def test_replies_list_gives_the_thread_oldest_first(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())
    desk.tickets.replies.create(ticket.number, message="First")
    desk.tickets.notes.create(ticket.number, message="Second")

    thread = desk.tickets.replies.list(ticket.number)

    assert [(r.message, r.is_internal) for r in thread] == [("First", False), ("Second", True)]


def test_reply_uploads_attachments(desk: Snagdesk) -> None:
    ticket = _open(desk, _tag())

    reply = desk.tickets.replies.create(
        ticket.number,
        message="Log attached",
        attachments=[("error.log", b"Traceback...\n", "text/plain")],
    )

    assert [(a.name, a.size, a.content_type) for a in reply.attachments] == [
        ("error.log", 13, "text/plain")
    ]


def test_create_with_an_attachment_from_a_path(desk: Snagdesk, tmp_path: Path) -> None:
    shot = tmp_path / "notes.txt"
    shot.write_bytes(b"steps to reproduce")

    ticket = desk.tickets.create(
        subject="With a file",
        message="See attached",
        submitter_email="visitor@example.com",
        tags=["files", "upload"],
        attachments=[shot],
    )

    assert [a.name for a in ticket.attachments] == ["notes.txt"]
    assert sorted(ticket.tags) == ["files", "upload"]
