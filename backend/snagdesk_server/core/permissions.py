"""Per-module staff permissions: a role grants ``<module>.<action>`` codes that the
registered modules declare (core.modules); superusers hold them all."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from snagdesk_server.core.modules import ModuleError, module_get, module_list


def all_codes() -> list[str]:
    return [code for module in module_list() for code in module.codes]


def has_module_perm(user: Any, module: str, action: str) -> bool:
    code = f"{module}.{action}"
    # A misspelt module or action would deny silently for ever; in DEBUG and in the
    # tests it fails where it is written.
    if settings.PERMISSIONS_STRICT and code not in _codes(module):
        raise ModuleError(f"No registered module declares the permission {code!r}.")
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    role = user.role
    return role is not None and code in role.permissions


def _codes(module: str) -> tuple[str, ...]:
    try:
        return module_get(module).codes
    except ModuleError:
        return ()
