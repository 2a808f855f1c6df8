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

from snagdesk_server.core import audit
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import ModuleSettings
from snagdesk_server.core.services import audit_record

T = TypeVar("T")

_registry: dict[str, type[Any]] = {}


@dataclasses.dataclass
class _Memo:
    stored: dict[str, dict[str, Any]] | None = None  # every module's values, read at once


# Within one request the settings of all modules are read from the database once.
_request_memo: ContextVar[_Memo | None] = ContextVar("module_settings", default=None)


@contextmanager
def settings_memoized() -> Iterator[None]:
    """Remember settings read inside the block; the middleware wraps every request in it."""
    reset = _request_memo.set(_Memo())
    try:
        yield
    finally:
        _request_memo.reset(reset)


def _stored(module: str) -> dict[str, Any]:
    memo = _request_memo.get()
    if memo is None:
        row = ModuleSettings.objects.filter(module=module).first()
        return row.values if row else {}
    if memo.stored is None:
        # A handful of small rows: one query for all costs less than one per module.
        memo.stored = dict(ModuleSettings.objects.values_list("module", "values"))
    return memo.stored.get(module, {})


def register(module: str) -> Callable[[type[T]], type[T]]:
    def decorate(cls: type[T]) -> type[T]:
        cls.module = module  # type: ignore[attr-defined]
        _registry[module] = cls
        return cls

    return decorate


def settings_get(cls: type[T]) -> T:
    stored = _stored(cls.module)  # type: ignore[attr-defined]
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in stored.items() if k in names})


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
    audit_record(actor=actor, action=audit.SETTINGS_UPDATE, target=row, changes=changed)
    memo = _request_memo.get()
    if memo is not None and memo.stored is not None:
        memo.stored[row.module] = row.values
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
    # Email the reporter of a widget or portal ticket its number (staff-opened ones are not).
    acknowledge_reporter: bool = True

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024
