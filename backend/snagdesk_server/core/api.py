"""Shared pieces of the staff REST API: permissions, pagination, throttling, the error
format, serializer fields and what the OpenAPI schema needs to describe them.

DRF's settings import this module while ``rest_framework.views`` is still loading, so
nothing here may import it (viewsets, drf_spectacular.openapi): those live in
``core.api_views``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from snagdesk_server.core.errors import DomainError, TooLarge
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.throttling import WindowRateThrottle
from snagdesk_server.core.validation import WITHOUT_CONTROL_CHARACTERS

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.views import APIView

F = TypeVar("F", bound=Callable[..., Any])

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
    """Checks ``<view.module>.<action>``; the action follows the HTTP method unless the
    handler names its own with ``@permission_action("edit")``."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        action_name = getattr(view, "action", None)
        handler = getattr(view, action_name, None) if action_name else None
        action = getattr(handler, "permission_action", None) or _METHOD_ACTIONS.get(
            request.method or "GET", "view"
        )
        return has_module_perm(request.user, view.module, action)  # type: ignore[attr-defined]


def permission_action(action: str) -> Callable[[F], F]:
    """Name the module action a viewset handler needs (``POST .../close/`` edits)."""

    def decorate(handler: F) -> F:
        handler.permission_action = action  # type: ignore[attr-defined]
        return handler

    return decorate


class StaffUserThrottle(WindowRateThrottle):
    """The ``user`` rate per signed-in user, read when each request is throttled rather
    than when the class is imported, so a changed setting applies (and tests can lower it)."""

    scope = "user"

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # type: ignore[return-value]

    def counted_as(self, request: Request) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else None


class Pagination(pagination.PageNumberPagination):
    """``page`` and ``page_size``, each a positive integer: anything else (``null``,
    ``0``, ``abc``) answers 400 naming it, where DRF would quietly use the default or
    answer 404. An empty value is the same as none, as for every filter; a size over the
    maximum counts as the maximum."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "The page, from 1; past the last one answers 404."
    page_size_query_description = (
        "Results per page: 25 by default, at most 100 (larger counts as 100)."
    )

    def _positive_param(self, request: Request, name: str) -> int | None:
        raw = request.query_params.get(name, "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError(
                {name: [_("Give a whole number from 1 up, or leave it out.")]}
            )
        return int(raw)

    def get_page_size(self, request: Request) -> int:
        size = self._positive_param(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request: Request, paginator: Any) -> int:
        number = self._positive_param(request, self.page_query_param)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


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
    if isinstance(exc, RequestDataTooBig):
        body = {"code": TooLarge.code, "message": str(TooLarge.default_message), "fields": {}}
        return Response(body, status=TooLarge.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": _("Some fields are invalid."),
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


# Serializer pieces shared by the apps' API modules ---------------------------------------


class OutputSerializer(serializers.ModelSerializer):
    # The shape of an answer: every field is read-only, which the schema documents as
    # always present. (A comment, not a docstring, which each subclass would inherit
    # as its schema description.)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class NamedRefSerializer(serializers.Serializer):
    """A related object in an answer: its id and its display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class EnumField(serializers.ChoiceField):
    """A choice field documented as its own named enum (``TicketStatus``), so fields that
    share a name but not their choices (a ticket's and a project's ``status``) never
    collide in the schema and the SDK gets a stable type name."""

    def __init__(self, choices: Sequence[Any], *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class CommaListField(serializers.ListField):
    """A query parameter given repeated (``?status=open&status=answered``) or as a comma
    separated list (``?status=open,answered``)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        values = [data] if isinstance(data, str) else data
        items = [part.strip() for value in values for part in str(value).split(",")]
        return super().to_internal_value([item for item in items if item])


class SearchFilterSerializer(serializers.Serializer):
    # Base of the list filters: ``q`` (or its alias ``search``) becomes ``search``.

    q = serializers.CharField(required=False, allow_blank=True, help_text="Text to search for.")
    search = serializers.CharField(required=False, allow_blank=True, help_text="Alias of `q`.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        text = attrs.pop("q", "")
        attrs["search"] = text or attrs.get("search", "")
        return attrs


class ErrorSerializer(serializers.Serializer):
    """Every error answer, whatever its status."""

    code = serializers.CharField(
        help_text="Stable machine-readable code: `invalid`, `not_authenticated`, "
        "`authentication_failed`, `permission_denied`, `not_found`, `conflict`, "
        "`too_large`, `throttled`, `idempotency_conflict`, or a more specific one "
        "(`email_taken`)."
    )
    message = serializers.CharField(help_text="What went wrong, for a person to read.")
    # A declared field is popped off the class, so it does not shadow Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages for each invalid field, by field name (`attachments`, "
        "`members.0`); `non_field_errors` for the input as a whole. Empty when no "
        "field is to blame.",
    )


ID_PARAMETER = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The object's numeric id."
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# Schema --------------------------------------------------------------------------------


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    # A subclass that checks its value elsewhere is still documented as its enum.
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        field: EnumField = self.target
        lines = [f"* `{value}` - {label}" for value, label in field.choices.items()]
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={"type": "string", "enum": list(field.choices), "description": "\n".join(lines)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def _is_free_text_query(parameter: dict[str, Any]) -> bool:
    schema = parameter.get("schema", {})
    constrained = "pattern" in schema or "enum" in schema
    return parameter.get("in") == "query" and schema.get("type") == "string" and not constrained


def query_text_pattern(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every free-text query parameter is declared
    without control characters, which ``QueryStringMiddleware`` refuses with 400."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if _is_free_text_query(parameter):
                    parameter["schema"]["pattern"] = WITHOUT_CONTROL_CHARACTERS
    return result


def staff_api_endpoints(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """drf-spectacular preprocessing hook: the staff schema documents ``/api/v1/`` only,
    not other DRF views (the public widget API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
