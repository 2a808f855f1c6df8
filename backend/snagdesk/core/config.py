"""Typed run-time settings per module, stored as JSON in ``ModuleSettings``.

A module declares a frozen dataclass with defaults and registers it under a key;
``settings_get`` reads it (missing keys fall back to the defaults, unknown ones are
ignored) and ``settings_save`` validates and stores a new version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import transaction

from snagdesk.core.errors import ValidationError
from snagdesk.core.models import ModuleSettings
from snagdesk.core.services import audit_record

T = TypeVar("T")

_registry: dict[str, type[Any]] = {}

# Within one request each module's settings are read from the database once.
_request_memo: ContextVar[dict[str, Any] | None] = ContextVar("module_settings", default=None)


@contextmanager
def settings_memoized() -> Iterator[None]:
    """Remember settings read inside the block; the middleware wraps every request in it."""
    reset = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(reset)


def register(module: str) -> Callable[[type[T]], type[T]]:
    def decorate(cls: type[T]) -> type[T]:
        cls.module = module  # type: ignore[attr-defined]
        _registry[module] = cls
        return cls

    return decorate


def settings_get(cls: type[T]) -> T:
    module: str = cls.module  # type: ignore[attr-defined]
    memo = _request_memo.get()
    if memo is not None and module in memo:
        return memo[module]
    row = ModuleSettings.objects.filter(module=module).first()
    stored = row.values if row else {}
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    value = cls(**{k: v for k, v in stored.items() if k in names})
    if memo is not None:
        memo[module] = value
    return value


@transaction.atomic
def settings_save(cls: type[T], *, values: dict[str, Any], actor: Any) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - names)
    if unknown:
        raise ValidationError(field_errors={k: ["Unknown setting."] for k in unknown})
    row, _ = ModuleSettings.objects.select_for_update().get_or_create(module=cls.module)  # type: ignore[attr-defined]
    before = dataclasses.asdict(settings_get(cls))  # type: ignore[call-overload]
    row.values = {**row.values, **values}
    row.save()
    changed = {k: [before[k], v] for k, v in values.items() if before[k] != v}
    audit_record(actor=actor, action="settings.update", target=row, changes=changed)
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(cls.module, None)  # type: ignore[attr-defined]
    return settings_get(cls)


@register("platform")
@dataclasses.dataclass(frozen=True)
class PlatformSettings:
    company_name: str = "Snagdesk"
    logo: str = ""
    time_zone: str = "UTC"
    default_priority: str = "medium"
    default_department_id: int | None = None
    attachment_max_mb: int = 10
    # Answered tickets with no reply for this many days are closed by a job (0: never).
    autoclose_after_days: int = 7

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024
