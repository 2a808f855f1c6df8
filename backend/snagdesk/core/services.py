from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from snagdesk.core.errors import ValidationError
from snagdesk.core.models import AuditEntry, Sequence


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append an audit entry; called by every service that changes state."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        changes=changes or {},
        created_at=now or timezone.now(),
    )


@transaction.atomic
def sequence_next(*, name: str) -> int:
    Sequence.objects.get_or_create(name=name)
    seq = Sequence.objects.select_for_update().get(name=name)
    seq.last_value = models.F("last_value") + 1
    seq.save(update_fields=["last_value"])
    seq.refresh_from_db(fields=["last_value"])
    return seq.last_value


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
