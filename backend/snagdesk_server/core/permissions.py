"""Per-module staff permissions: every module registers itself; a role grants
``<module>.<action>`` codes; superusers hold them all."""

from __future__ import annotations

from typing import Any

ACTIONS = ("view", "create", "edit", "delete")

_modules: dict[str, str] = {}


def register_module(key: str, label: str) -> None:
    _modules[key] = label


def modules() -> dict[str, str]:
    return dict(_modules)


def all_codes() -> list[str]:
    return [f"{module}.{action}" for module in _modules for action in ACTIONS]


def has_module_perm(user: Any, module: str, action: str) -> bool:
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    role = user.role
    return role is not None and f"{module}.{action}" in role.permissions
