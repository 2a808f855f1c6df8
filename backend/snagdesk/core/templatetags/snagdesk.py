from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from snagdesk.core.permissions import has_module_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], module: str, action: str = "view") -> bool:
    """``{% can "tickets" "edit" as may_edit %}``: the current user's module permission."""
    return has_module_perm(context["request"].user, module, action)


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None`` removes a key)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
