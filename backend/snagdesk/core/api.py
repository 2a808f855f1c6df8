"""Shared pieces of the staff REST API: permissions, pagination, error format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, pagination, permissions
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk.core.errors import DomainError
from snagdesk.core.permissions import has_module_perm

if TYPE_CHECKING:
    from rest_framework.views import APIView

_METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "create",
    "PUT": "edit",
    "PATCH": "edit",
    "DELETE": "delete",
}


class IsStaffUser(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class ModulePermission(IsStaffUser):
    """Checks ``<view.module>.<action>``; an action may name its own with
    ``permission_action`` (``@action(..., permission_action="edit")``)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        action_name = getattr(view, "action", None)
        handler = getattr(view, action_name, None) if action_name else None
        action = getattr(handler, "permission_action", None) or _METHOD_ACTIONS.get(
            request.method or "GET", "view"
        )
        return has_module_perm(request.user, view.module, action)  # type: ignore[attr-defined]


class Pagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    out[f"{key}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        out[f"{key}.{index}.{sub}"] = messages
            else:
                out[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    return {
        "non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is ``{"code", "message", "fields"}`` with the right status."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message, "fields": exc.field_errors}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": "Some fields are invalid.",
            "fields": _flatten(exc.detail),
        }
    else:
        code = exc.get_codes()
        body = {
            "code": code if isinstance(code, str) else "error",
            "message": str(exc.detail),
            "fields": {},
        }
    return Response(body, status=exc.status_code, headers=headers)
