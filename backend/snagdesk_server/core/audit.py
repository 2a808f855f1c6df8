"""Audit action names: each app declares its own in ``<app>/audit.py``, and
``audit_record`` takes only a declared action, never a free string."""

from __future__ import annotations

from dataclasses import dataclass


class UnknownAuditAction(LookupError):
    """An action nobody declared: a programming error, raised at once."""


# Identity, not equality: only the object ``audit_action_declare`` returned is declared.
@dataclass(frozen=True, eq=False)
class AuditAction:
    name: str


_declared: dict[str, AuditAction] = {}


def audit_action_declare(name: str) -> AuditAction:
    """Declare an action; ``name`` is what the audit log stores and templates compare."""
    if name in _declared:
        raise ValueError(f"The audit action {name!r} is declared twice.")
    action = _declared[name] = AuditAction(name=name)
    return action


def audit_action_checked(action: object) -> AuditAction:
    if not isinstance(action, AuditAction) or _declared.get(action.name) is not action:
        raise UnknownAuditAction(
            f"{action!r} is not a declared audit action; declare it in its app's audit.py."
        )
    return action


SETTINGS_UPDATE = audit_action_declare("settings.update")
