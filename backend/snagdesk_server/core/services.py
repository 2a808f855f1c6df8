from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.utils import timezone

from snagdesk_server.core.audit import AuditAction, audit_action_checked
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import AuditEntry, Sequence


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append an audit entry; called by every service that changes state, with an action
    its app declared (``core.audit``)."""
    action = audit_action_checked(action)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action.name,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        changes=changes or {},
        created_at=now or timezone.now(),
    )


def _sequence_bump(name: str) -> int | None:
    # One statement that both locks the row and reads the new value: every ticket pays
    # for it, and the widget's endpoint calls it under load. SQLite and PostgreSQL both
    # know RETURNING.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Sequence._meta.db_table} SET last_value = last_value + 1"  # noqa: S608
            " WHERE name = %s RETURNING last_value",
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def sequence_next(*, name: str) -> int:
    """The next value of counter ``name``. Inside a transaction the UPDATE locks the row
    until commit, so concurrent callers queue behind it and the numbers of what commits
    have no gaps; outside one it is a statement of its own, which locks the row for no
    longer than itself."""
    value = _sequence_bump(name)
    if value is None:
        Sequence.objects.get_or_create(name=name)
        value = _sequence_bump(name)
    assert value is not None
    return value


def apply_changes(obj: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``fields`` on ``obj``; return ``{name: [before, after]}`` for the audit log."""
    changed: dict[str, list[Any]] = {}
    for name, value in fields.items():
        before = getattr(obj, name)
        if before != value:
            changed[name] = [_plain(before), _plain(value)]
            setattr(obj, name, value)
    return changed


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def validate_model(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's own validation and raise it as a domain error."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationError(field_errors=exc.message_dict) from exc
