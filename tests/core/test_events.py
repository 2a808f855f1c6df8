"""Domain events: declared, checked at emit, delivered once to every subscriber after
the commit, never after a rollback."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from snagdesk_server.core import events
from snagdesk_server.core.events import (
    Event,
    EventPayloadInvalid,
    EventType,
    Field,
    UnknownEvent,
    event_declare,
    event_emit,
    event_subscribe,
)
from tests import factories

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Boom(Exception):
    pass


def _emit_then_fail(event_type: EventType, *, n: int) -> None:
    with transaction.atomic():
        event_emit(event_type, payload={"n": n, "label": None}, actor=None)
        raise Boom


@pytest.fixture
def ping(monkeypatch) -> EventType:  # type: ignore[no-untyped-def]
    """A declared event of the test's own, gone with the test."""
    monkeypatch.setattr(events, "_declared", dict(events._declared))
    return event_declare(
        name="test.ping",
        description="A test event.",
        payload={"n": Field(int, "A number."), "label": Field(str, "A label.", nullable=True)},
    )


@pytest.mark.django_db(transaction=True)
def test_an_emit_is_delivered_once_after_the_commit(ping, emitted) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        event_emit(ping, payload={"n": 1, "label": None}, actor=None, now=NOW)
        assert emitted == []

    assert [(e.name, dict(e.payload), e.occurred_at) for e in emitted] == [
        ("test.ping", {"n": 1, "label": None}, NOW)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_emit_is_never_delivered(ping, emitted) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Boom):
        _emit_then_fail(ping, n=1)

    assert emitted == []


@pytest.mark.django_db(transaction=True)
def test_an_emit_in_a_rolled_back_savepoint_is_dropped_and_the_rest_delivered(
    ping, emitted
) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        event_emit(ping, payload={"n": 1, "label": None}, actor=None)
        with pytest.raises(Boom):
            _emit_then_fail(ping, n=2)

    assert [e.payload["n"] for e in emitted] == [1]


@pytest.mark.django_db
def test_the_event_names_who_made_the_change(
    ping, emitted, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff = factories.StaffFactory()

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(ping, payload={"n": 1, "label": "x"}, actor=staff)

    assert [e.actor_id for e in emitted] == [staff.pk]


@pytest.mark.django_db(transaction=True)
def test_every_subscriber_receives_each_emit_once(ping, emitted) -> None:  # type: ignore[no-untyped-def]
    by_type: list[Event] = []
    by_name: list[Event] = []
    event_subscribe(ping, by_type.append)
    event_subscribe("test.ping", by_name.append)
    event_subscribe(ping, by_type.append)  # twice: still one delivery

    event_emit(ping, payload={"n": 1, "label": None}, actor=None)  # no transaction: at once

    assert (len(by_type), len(by_name), len(emitted)) == (1, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_is_logged_and_the_others_still_receive(ping, emitted, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(event: Event) -> None:
        raise Boom("subscriber bug")

    after: list[Event] = []
    event_subscribe(ping, broken)
    event_subscribe(ping, after.append)

    with caplog.at_level(logging.ERROR, logger="snagdesk_server.core.events"):
        event_emit(ping, payload={"n": 1, "label": None}, actor=None)

    assert (len(after), len(emitted)) == (1, 1)
    assert "failed on the event test.ping" in caplog.text
    assert "subscriber bug" in caplog.text


def test_an_unknown_name_is_refused_at_once(emitted) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownEvent, match=r"ticket\.opend"):
        event_emit("ticket.opend", payload={}, actor=None)

    assert emitted == []


def test_an_event_type_made_without_declaring_it_is_refused(emitted) -> None:  # type: ignore[no-untyped-def]
    stray = EventType(name="ticket.opened", description="", payload={})

    with pytest.raises(UnknownEvent):
        event_emit(stray, payload={}, actor=None)

    assert emitted == []


def test_subscribing_to_an_unknown_name_is_refused() -> None:
    with pytest.raises(UnknownEvent):
        event_subscribe("ticket.opend", print)


def test_an_event_cannot_be_declared_twice(ping) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="declared twice"):
        event_declare(name="test.ping", description="Again.", payload={})


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"label": None}, "'n' is missing"),
        ({"n": 1, "label": None, "extra": 2}, "'extra' is not declared"),
        ({"n": "1", "label": None}, "'n' must be integer, not str"),
        ({"n": True, "label": None}, "'n' must be integer, not bool"),
        ({"n": None, "label": None}, "'n' must be integer, not NoneType"),
        ({"n": 1, "label": object()}, "'label' must be string or null, not object"),
    ],
)
def test_a_payload_unlike_its_declaration_is_refused(ping, emitted, payload, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EventPayloadInvalid, match=reason):
        event_emit(ping, payload=payload, actor=None)

    assert emitted == []


def test_the_events_doc_lists_every_declared_event(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("events_doc")

    written = (Path(settings.ROOT_DIR) / "docs" / "events.md").read_text()
    assert capsys.readouterr().out == written, (
        "docs/events.md is out of date: run "
        "`DEBUG=1 .venv/bin/python backend/manage.py events_doc > docs/events.md`"
    )
