"""Widget tokens: create, change, rotate, disable and delete them (docs/widget-api.md)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core.audit import AuditAction
from snagdesk_server.core.config import setting_errors
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.services import apply_changes, audit_record
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department, Ticket
from snagdesk_server.website_support import audit
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.selectors import (
    OVERRIDABLE,
    origin_normalize,
    widget_token_forget,
)

KEY_PREFIX = "wt_"
TOKEN_FIELDS = (
    "name",
    "project",
    "allowed_origins",
    "allow_subdomains",
    "default_contact",
    "require_login",
    "department",
    "priority",
    "assignee",
    "appearance",
)


# Tokens -------------------------------------------------------------------------------------


def _key_new() -> str:
    """``wt_`` and 24 URL-safe characters, unused so far."""
    while True:
        key = KEY_PREFIX + secrets.token_urlsafe(18)
        if not WidgetToken.objects.filter(key=key).exists():
            return key


def _origins_clean(value: str | Iterable[str]) -> tuple[list[str], list[str]]:
    """The origins in canonical form, without repeats, and the entries that are not origins."""
    entries = value.split() if isinstance(value, str) else [str(v).strip() for v in value]
    origins: list[str] = []
    wrong: list[str] = []
    for entry in filter(None, entries):
        origin = origin_normalize(entry)
        if origin is None:
            wrong.append(entry)
        elif origin not in origins:
            origins.append(origin)
    return origins, wrong


def _appearance_clean(value: Any, errors: dict[str, list[str]]) -> dict[str, Any]:
    if not isinstance(value, dict):
        errors["appearance"] = [_("Give the look as an object of settings.")]
        return {}
    kept = {k: v for k, v in value.items() if v not in ("", None)}
    for key, item in kept.items():
        problems = (
            [_("Unknown setting.")]
            if key not in OVERRIDABLE
            else setting_errors(WidgetSettings, key, item)
        )
        if problems:
            errors[f"appearance.{key}"] = problems
    return kept


def _token_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Check a token's fields together (the contact must be of the project's client) and
    return them cleaned; every problem is reported at once, by field."""
    errors: dict[str, list[str]] = {}
    name = str(fields["name"] or "").strip()
    if not name or len(name) > 100:
        errors["name"] = [_("Give the token a name of at most 100 characters.")]
    project = fields["project"]
    if not isinstance(project, Project):
        errors["project"] = [_("Choose a project.")]
    origins, wrong = _origins_clean(fields["allowed_origins"] or [])
    if wrong:
        errors["allowed_origins"] = [
            _("“%(entry)s” is not an origin: give http(s)://host[:port], without a path.")
            % {"entry": entry}
            for entry in wrong
        ]
    elif not origins:
        errors["allowed_origins"] = [_("Give at least one origin, such as https://client.example.")]
    contact = fields["default_contact"]
    if contact is not None and (
        not isinstance(project, Project) or contact.client_id != project.client_id
    ):
        errors["default_contact"] = [_("Choose a contact of the project's client.")]
    priority = fields["priority"] or ""
    if priority and priority not in Ticket.Priority.values:
        errors["priority"] = [_("Unknown priority %(priority)r.") % {"priority": priority}]
    assignee = fields["assignee"]
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        errors["assignee"] = [_("Only an active staff member can be assigned.")]
    appearance = _appearance_clean(fields["appearance"] or {}, errors)
    if errors:
        raise ValidationError(field_errors=errors)
    return {
        **fields,
        "name": name,
        "allowed_origins": origins,
        "allow_subdomains": bool(fields["allow_subdomains"]),
        "require_login": bool(fields["require_login"]),
        "priority": priority,
        "appearance": appearance,
    }


@transaction.atomic
def widget_token_create(
    *,
    actor: User,
    name: str,
    project: Project,
    allowed_origins: str | Iterable[str],
    allow_subdomains: bool = False,
    default_contact: Contact | None = None,
    require_login: bool = False,
    department: Department | None = None,
    priority: str = "",
    assignee: User | None = None,
    appearance: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> WidgetToken:
    now = now or timezone.now()
    fields = _token_fields_clean(
        {
            "name": name,
            "project": project,
            "allowed_origins": allowed_origins,
            "allow_subdomains": allow_subdomains,
            "default_contact": default_contact,
            "require_login": require_login,
            "department": department,
            "priority": priority,
            "assignee": assignee,
            "appearance": appearance,
        }
    )
    token = WidgetToken.objects.create(key=_key_new(), created_at=now, **fields)
    changes = {
        name: [None, str(value) if isinstance(value, models.Model) else value]
        for name, value in fields.items()
    }
    audit_record(
        actor=actor, action=audit.WIDGET_TOKEN_CREATE, target=token, changes=changes, now=now
    )
    return token


def _lock(token: WidgetToken) -> WidgetToken:
    """The token, locked for a write; its cached copy is forgotten once the write commits
    (under its key before the write: a rotation stops the old key at once)."""
    locked = WidgetToken.objects.select_for_update().get(pk=token.pk)
    key = locked.key
    transaction.on_commit(lambda: widget_token_forget(key=key))
    return locked


@transaction.atomic
def widget_token_update(
    *, token: WidgetToken, actor: User, now: datetime | None = None, **fields: Any
) -> WidgetToken:
    """Change any of the fields ``widget_token_create`` takes; the others stay."""
    unknown = set(fields) - set(TOKEN_FIELDS)
    if unknown:
        raise ValidationError(
            field_errors={k: [_("This field cannot be changed.")] for k in sorted(unknown)}
        )
    token = _lock(token)
    current = {name: getattr(token, name) for name in TOKEN_FIELDS}
    cleaned = _token_fields_clean({**current, **fields})
    changes = apply_changes(token, cleaned)
    if changes:
        token.save()
        audit_record(
            actor=actor, action=audit.WIDGET_TOKEN_UPDATE, target=token, changes=changes, now=now
        )
    return token


@transaction.atomic
def widget_token_rotate(
    *, token: WidgetToken, actor: User, now: datetime | None = None
) -> WidgetToken:
    """Give the token a new key: the old one stops working at once, and so do the widget
    sessions issued under it (``sessions`` signs them with the key)."""
    now = now or timezone.now()
    token = _lock(token)
    changes = apply_changes(token, {"key": _key_new(), "rotated_at": now})
    token.save(update_fields=["key", "rotated_at"])
    audit_record(
        actor=actor, action=audit.WIDGET_TOKEN_ROTATE, target=token, changes=changes, now=now
    )
    return token


def _active_set(
    token: WidgetToken, *, active: bool, actor: User, action: AuditAction, now: datetime | None
) -> WidgetToken:
    token = _lock(token)
    changes = apply_changes(token, {"is_active": active})
    if changes:
        token.save(update_fields=["is_active"])
        audit_record(actor=actor, action=action, target=token, changes=changes, now=now)
    return token


@transaction.atomic
def widget_token_disable(
    *, token: WidgetToken, actor: User, now: datetime | None = None
) -> WidgetToken:
    """Stop the widget taking feedback with this token; disabling it again changes nothing."""
    return _active_set(token, active=False, actor=actor, action=audit.WIDGET_TOKEN_DISABLE, now=now)


@transaction.atomic
def widget_token_enable(
    *, token: WidgetToken, actor: User, now: datetime | None = None
) -> WidgetToken:
    """Take feedback again with the same key; enabling an active token changes nothing."""
    return _active_set(token, active=True, actor=actor, action=audit.WIDGET_TOKEN_ENABLE, now=now)


@transaction.atomic
def widget_token_delete(*, token: WidgetToken, actor: User, now: datetime | None = None) -> None:
    """Delete the token; the tickets it brought in stay."""
    token = _lock(token)
    audit_record(
        actor=actor,
        action=audit.WIDGET_TOKEN_DELETE,
        target=token,
        changes={"name": [token.name, None]},
        now=now,
    )
    token.delete()
