"""Domain events: how a module tells the others what happened without importing them.

Each app declares its event types in ``<app>/events.py`` with ``event_declare``; its
services call ``event_emit`` beside ``audit_record``; other apps ``event_subscribe`` from
their ``AppConfig.ready()``. Delivery happens after the surrounding transaction commits,
so a rollback delivers nothing. Payloads hold ids, numbers and strings only, so any
subscriber (the webhooks app) can serialize them. Imports no other app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ALL = "*"
_TYPE_NAMES: dict[type, str] = {int: "integer", str: "string", bool: "boolean"}


class UnknownEvent(LookupError):
    """An event name nobody declared: a programming error, raised at once."""


class EventPayloadInvalid(ValueError):
    """A payload that does not match its event's declared schema."""


@dataclass(frozen=True)
class Field:
    """One payload field: a JSON scalar (``int``, ``str`` or ``bool``), maybe null."""

    type: type
    description: str
    nullable: bool = False

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.nullable
        if isinstance(value, bool) and self.type is not bool:
            return False  # True is an int to Python, not to a JSON consumer
        return isinstance(value, self.type)

    @property
    def type_name(self) -> str:
        name = _TYPE_NAMES[self.type]
        return f"{name} or null" if self.nullable else name


# Identity, not equality: only the object ``event_declare`` returned is declared.
@dataclass(frozen=True, eq=False)
class EventType:
    name: str
    description: str
    payload: Mapping[str, Field]


@dataclass(frozen=True)
class Event:
    """What a subscriber receives."""

    type: EventType
    payload: Mapping[str, Any]
    actor_id: int | None
    occurred_at: datetime

    @property
    def name(self) -> str:
        return self.type.name


Handler = Callable[[Event], None]

_declared: dict[str, EventType] = {}
_subscribers: dict[str, list[Handler]] = {}


def event_declare(*, name: str, description: str, payload: Mapping[str, Field]) -> EventType:
    """Declare an event type; called at import time of ``<app>/events.py``."""
    if name in _declared:
        raise ValueError(f"The event {name!r} is declared twice.")
    for field_name, field in payload.items():
        if field.type not in _TYPE_NAMES:
            raise ValueError(f"{name}: payload field {field_name!r} must be an int, str or bool.")
    event_type = EventType(name=name, description=description, payload=dict(payload))
    _declared[name] = event_type
    return event_type


def event_types() -> list[EventType]:
    """Every declared event type, by name."""
    return [_declared[name] for name in sorted(_declared)]


def _declared_type(event: EventType | str) -> EventType:
    name = event if isinstance(event, str) else event.name
    declared = _declared.get(name)
    if declared is None or (isinstance(event, EventType) and declared is not event):
        raise UnknownEvent(f"No event {name!r} is declared; declare it in its app's events.py.")
    return declared


def event_subscribe(event: EventType | str, handler: Handler) -> None:
    """Call ``handler(event)`` after the commit of every emit of ``event`` (a declared
    type or its name), or of every event for ``"*"``. Subscribing twice changes nothing."""
    name = ALL if event == ALL else _declared_type(event).name
    handlers = _subscribers.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def event_unsubscribe(event: EventType | str, handler: Handler) -> None:
    name = ALL if event == ALL else _declared_type(event).name
    if handler in _subscribers.get(name, []):
        _subscribers[name].remove(handler)


def _payload_errors(event_type: EventType, payload: Mapping[str, Any]) -> list[str]:
    schema = event_type.payload
    errors = [f"{name!r} is missing" for name in schema if name not in payload]
    errors += [f"{name!r} is not declared" for name in payload if name not in schema]
    errors += [
        f"{name!r} must be {field.type_name}, not {type(payload[name]).__name__}"
        for name, field in schema.items()
        if name in payload and not field.accepts(payload[name])
    ]
    return errors


def event_emit(
    event: EventType | str,
    *,
    payload: Mapping[str, Any],
    actor: Any,
    now: datetime | None = None,
) -> None:
    """Check ``payload`` against the declaration and deliver it to every subscriber once
    the current transaction commits (at once outside one; never if it rolls back)."""
    event_type = _declared_type(event)
    errors = _payload_errors(event_type, payload)
    if errors:
        raise EventPayloadInvalid(f"{event_type.name} payload: {'; '.join(errors)}.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    emitted = Event(
        type=event_type,
        payload=dict(payload),
        actor_id=actor.pk if authenticated else None,
        occurred_at=now or timezone.now(),
    )
    transaction.on_commit(lambda: _deliver(emitted))


def _deliver(event: Event) -> None:
    # The write has committed: a failing subscriber is logged, and neither stops the
    # others nor turns the request that made the change into an error.
    for handler in [*_subscribers.get(event.name, []), *_subscribers.get(ALL, [])]:
        try:
            handler(event)
        except Exception:
            logger.exception("Subscriber %r failed on the event %s.", handler, event.name)


def events_markdown() -> str:
    """docs/events.md: every declared event with its payload."""
    lines = [
        "# Events",
        "",
        "Every domain event Snagdesk emits, with its payload. Generated from the",
        "declarations in `<app>/events.py` by `manage.py events_doc`; a test fails when this",
        "file is out of date. See docs/development.md for how to declare, emit and subscribe.",
        "",
        "A subscriber receives an `Event`: its `name`, the `payload` below, `actor_id` (the",
        "user who made the change; null for a job or an anonymous visitor) and `occurred_at`.",
        "Delivery happens once per subscriber after the change commits, never after a",
        "rollback.",
    ]
    for event_type in event_types():
        lines += ["", f"## `{event_type.name}`", "", event_type.description, ""]
        lines += ["| field | type | description |", "|---|---|---|"]
        lines += [
            f"| `{name}` | {field.type_name} | {field.description} |"
            for name, field in event_type.payload.items()
        ]
    return "\n".join(lines) + "\n"
