"""Typed run-time settings per module, stored as JSON in ``ModuleSettings``.

A module declares a frozen dataclass with defaults and registers it under a key;
``settings_get`` reads it (missing keys fall back to the defaults, unknown ones are
ignored) and ``settings_save`` validates and stores a new version. Fields declared
with ``setting(...)`` carry their rules (choices, bounds, length, a check) and what
the settings page shows (label, help), so the page's form and the service agree.
"""

from __future__ import annotations

import dataclasses
import types
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, get_args, get_type_hints

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from snagdesk_server.core import audit
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.models import ModuleSettings
from snagdesk_server.core.services import audit_record

T = TypeVar("T")
Label = str | Promise
Choices = Sequence[tuple[Any, Label]]

_registry: dict[str, type[Any]] = {}


@dataclasses.dataclass(frozen=True)
class ImageUpload:
    """A setting holding the stored name of an uploaded image (``core.branding``):
    a PNG, JPEG or WebP of at most ``max_bytes``, stored as ``branding/<prefix>-…``."""

    prefix: str
    max_bytes: int


@dataclasses.dataclass(frozen=True)
class Rules:
    """What ``setting(...)`` declares about one field."""

    label: Label = ""
    help_text: Label = ""
    choices: Choices = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    blank: bool = False
    check: Callable[[Any], list[str]] | None = None
    image: ImageUpload | None = None


def setting(
    default: Any,
    *,
    label: Label = "",
    help_text: Label = "",
    choices: Choices = (),
    min_value: int | None = None,
    max_value: int | None = None,
    max_length: int | None = None,
    blank: bool = False,
    check: Callable[[Any], list[str]] | None = None,
    image: ImageUpload | None = None,
) -> Any:
    """A settings field with its rules: ``choices`` as ``(value, label)`` pairs, inclusive
    ``min_value``/``max_value``, ``max_length``, ``blank`` to accept an empty text, and
    ``check(value)`` returning what else is wrong (an inactive department…)."""
    rules = Rules(
        label=label,
        help_text=help_text,
        choices=choices,
        min_value=min_value,
        max_value=max_value,
        max_length=max_length,
        blank=blank,
        check=check,
        image=image,
    )
    return dataclasses.field(default=default, metadata={"rules": rules})


def setting_rules(field: dataclasses.Field[Any]) -> Rules:
    rules: Rules = field.metadata.get("rules", Rules(blank=True))
    return rules


def setting_type(cls: type[Any], name: str) -> tuple[type[Any], bool]:
    """The Python type of setting ``name`` and whether it may be None (``int | None``)."""
    hint = get_type_hints(cls)[name]
    if isinstance(hint, types.UnionType):
        args = get_args(hint)
        return next(a for a in args if a is not type(None)), type(None) in args
    return hint, False


def _type_errors(kind: type[Any], value: Any) -> list[str]:
    if kind is bool and not isinstance(value, bool):
        return [_("Enter true or false.")]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        return [_("Enter a whole number.")]
    if kind is str and not isinstance(value, str):
        return [_("Enter a text.")]
    return []


def _rule_errors(rules: Rules, value: Any) -> list[str]:
    offered = {choice for choice, _label in rules.choices}
    if offered and value not in offered and not (rules.blank and value == ""):
        return [_("“%(value)s” is not one of the choices.") % {"value": value}]
    low, high = rules.min_value, rules.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        return [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    if rules.max_length is not None and len(value) > rules.max_length:
        return [
            ngettext(
                "Keep it to %(max)s character.", "Keep it to %(max)s characters.", rules.max_length
            )
            % {"max": rules.max_length}
        ]
    if value == "" and not rules.blank:
        return [_("This setting cannot be empty.")]
    return rules.check(value) if rules.check and value not in ("", None) else []


def setting_errors(cls: type[Any], name: str, value: Any) -> list[str]:
    """What is wrong with ``value`` for setting ``name`` of ``cls``; empty when it is fine."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if name not in fields:
        return [_("Unknown setting.")]
    kind, nullable = setting_type(cls, name)
    if value is None:
        return [] if nullable else [_("This setting cannot be empty.")]
    return _type_errors(kind, value) or _rule_errors(setting_rules(fields[name]), value)


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
    """Check ``values`` against the declaration of ``cls`` and store them over the current
    ones; a wrong value raises ``ValidationError`` naming each field and what is wrong."""
    errors = {
        name: found for name, value in values.items() if (found := setting_errors(cls, name, value))
    }
    if errors:
        raise ValidationError(field_errors=errors)
    row, _created = ModuleSettings.objects.select_for_update().get_or_create(module=cls.module)  # type: ignore[attr-defined]
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
    company_name: str = setting("Snagdesk", label=gettext_lazy("Company name"), max_length=100)
    logo: str = setting(
        "",
        blank=True,
        label=gettext_lazy("Logo"),
        help_text=gettext_lazy("A PNG, JPEG or WebP image of at most 2 MB."),
        image=ImageUpload(prefix="logo", max_bytes=2 * 1024 * 1024),
    )
    time_zone: str = setting(
        "UTC",
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy("Dates across the desk are shown in this time zone."),
    )
