"""The async client against the live server (and a scripted one for retries)."""

from __future__ import annotations

import uuid

import pytest
from conftest import Answer, LiveServer, ScriptedServer

from snagdesk import AsyncSnagdesk, NotFoundError, Ticket

pytestmark = pytest.mark.anyio


async def test_create_get_reply_and_close(live_server: LiveServer) -> None:
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        ticket = await desk.tickets.create(
            subject="Async", message="Hello", submitter_email="a@example.com"
        )
        fetched = await desk.tickets.get(ticket.number)
        reply = await desk.tickets.replies.create(ticket.number, message="On it")
        note = await desk.tickets.notes.create(ticket.number, message="Internal")
        thread = await desk.tickets.replies.list(ticket.number)
        closed = await desk.tickets.close(ticket.number)

    assert isinstance(fetched, Ticket)
    assert fetched.number == ticket.number
    assert [r.id for r in thread] == [reply.id, note.id]
    assert closed.status == "closed"


async def test_async_for_follows_every_page(live_server: LiveServer) -> None:
    tag = f"a-{uuid.uuid4().hex[:10]}"
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        created = {
            (await desk.tickets.create(
                subject=f"Async {i}", message="m", submitter_email="a@example.com", tags=[tag]
            )).number
            for i in range(5)
        }  # fmt: skip
        listed = [t.number async for t in desk.tickets.list(tag=tag, page_size=2)]
        page = await desk.tickets.list(tag=tag, page_size=2).page(3)

    assert sorted(listed) == sorted(created)
    assert (page.count, len(page.results), page.next) == (5, 1, None)


async def test_errors_are_the_same_types(live_server: LiveServer) -> None:
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        with pytest.raises(NotFoundError):
            await desk.clients.get(999_999)


async def test_async_retries_honour_retry_after(scripted: ScriptedServer) -> None:
    scripted.script(
        Answer(503, {"code": "error", "message": "Down"}),
        Answer(429, {"code": "throttled", "message": "Slow"}, {"Retry-After": "1"}),
        Answer(200, {"id": 4, "name": "Support", "email": "", "is_active": True, "staff": []}),
    )

    async with AsyncSnagdesk(scripted.url, "sdk_x", backoff_base=0.05) as desk:
        department = await desk.departments.get(4)

    assert department.name == "Support"
    assert len(scripted.received) == 3
    assert scripted.received[2].at - scripted.received[1].at >= 0.95
