"""The base of every staff API viewset, and the schema class that documents it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.core import idempotency
from snagdesk_server.core.api import (
    ID_PARAMETER,
    ModulePermission,
    Pagination,
    StaffUserThrottle,
    error_response,
)
from snagdesk_server.core.parsers import BoundedJSONParser

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django.http import HttpResponseBase

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    # Not blank: an empty or all-space key is refused, never taken as no key.
    {"type": "string", "minLength": 1, "pattern": r"\S"},
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID) naming this write. A retry with the same key "
    "and the same request gets the first answer again, with `Idempotent-Replayed: true`, "
    "and changes nothing; the same key with another request answers 409 "
    "`idempotency_conflict`. Keys are per user and kept for 24 hours. An empty (or "
    "all-space) key answers 400 `invalid_idempotency_key`: leave the header out instead.",
)

REPLAYED_HEADER_SCHEMA = {
    "schema": {"type": "string", "enum": ["true"]},
    "description": "Present on a replay: the stored answer to an earlier request with the "
    "same `Idempotency-Key`; nothing was done this time.",
}


class StaffAutoSchema(AutoSchema):
    """Adds the error answers every staff endpoint can give, so no operation has to
    repeat them; an operation lists only its own (409, 413) in ``@extend_schema``."""

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = super().get_override_parameters()
        if self.method in idempotency.METHODS:
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters

    def get_description(self) -> str:  # type: ignore[override]
        # The handler's docstring only: the viewset's would describe every operation.
        handler = getattr(self.view, getattr(self.view, "action", None) or "", None)
        return get_doc(handler) if handler else ""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code, description in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(description), code, direction=direction
                )
        if self.method in idempotency.METHODS:
            for code in (code for code in responses if code.startswith("2")):
                responses[code]["headers"] = {idempotency.REPLAYED_HEADER: REPLAYED_HEADER_SCHEMA}
        responses["429"]["headers"] = {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before trying again.",
            }
        }
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[tuple[str, str]]:
        codes = []
        if self.method in idempotency.METHODS or getattr(self.view, "action", "") == "list":
            codes.append(("400", "Invalid input; `fields` names each invalid field."))
        codes += [
            ("401", "No credentials, or an invalid or revoked API token."),
            ("403", "Not a staff member, or missing the module permission."),
        ]
        if "{" in self.path:
            codes.append(("404", "No such object."))
        elif getattr(self.view, "action", "") == "list":
            codes.append(("404", "The page is past the last one."))
        if self.method in idempotency.METHODS:
            codes.append(("409", "The `Idempotency-Key` was used for a different request."))
        codes.append(("429", "Too many requests; retry after `Retry-After` seconds."))
        return codes


class StaffViewSet(viewsets.ViewSet):
    """A staff API resource: token or session auth, ``<module>.<action>`` permissions,
    the per-user rate limit, JSON in and out. Subclasses set ``module``.

    Not a GenericViewSet: each action names its own input and output serializers, so
    there is no single ``serializer_class`` for DRF's OPTIONS and HTML forms to use."""

    module: str
    permission_classes = [ModulePermission]
    throttle_classes = [StaffUserThrottle]
    parser_classes = [BoundedJSONParser]
    pagination_class = Pagination
    lookup_field = "id"
    lookup_value_converter = "int"
    schema = StaffAutoSchema()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Every write honours Idempotency-Key; the router bound the handler to the method.
        method = (request.method or "").lower()
        handler = getattr(self, method, None)
        if (request.method or "") in idempotency.METHODS and handler is not None:
            setattr(self, method, self._answer_once(handler))
        return super().dispatch(request, *args, **kwargs)

    def _answer_once(self, handler: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(handler)
        def answer(request: Request, *args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(idempotency.HEADER)
            if key is None:
                return handler(request, *args, **kwargs)
            return idempotency.respond_once(
                user=self.actor,
                key=key,
                method=request.method or "",
                path=request.path,
                fingerprint=idempotency.request_fingerprint(request),
                handle=lambda: handler(request, *args, **kwargs),
                now=timezone.now(),
            )

        return answer

    @property
    def actor(self) -> User:
        """The signed-in staff member: the permission classes let nobody else in."""
        return self.request.user  # type: ignore[return-value]

    @property
    def context(self) -> dict[str, Any]:
        return {"request": self.request, "view": self}

    def validated(
        self, serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        """Validate the shape of ``data``; a mistake answers 400 naming the field."""
        serializer = serializer_class(data=data, context=self.context, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(
        self, serializer_class: type[serializers.Serializer], instance: Any, status: int = 200
    ) -> Response:
        serializer = serializer_class(instance, context=self.context)
        return Response(serializer.data, status=status)

    def respond_page(
        self, serializer_class: type[serializers.Serializer], queryset: Any
    ) -> Response:
        paginator = self.pagination_class()
        page: list[Any] | None = paginator.paginate_queryset(queryset, self.request, view=self)
        serializer = serializer_class(page, many=True, context=self.context)
        return paginator.get_paginated_response(serializer.data)


def resource_schema(
    name: str,
    singular: str,
    *,
    output: type[serializers.Serializer],
    create: type[serializers.Serializer],
    update: type[serializers.Serializer],
    filters: type[serializers.Serializer] | None = None,
    lookup: OpenApiParameter = ID_PARAMETER,
    create_summary: str = "",
    create_errors: dict[int, Any] | None = None,
) -> Callable[[type], type]:
    """The OpenAPI description of a resource's list, create, retrieve and update, with
    operation ids ``<name>_list``, ``<name>_create``, ``<name>_retrieve`` and
    ``<name>_partial_update``; an endpoint's own extra errors go in ``create_errors``."""
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"{name}_list",
            summary=f"List {name}",
            parameters=[filters] if filters else None,
            responses=output(many=True),
        ),
        create=extend_schema(
            operation_id=f"{name}_create",
            summary=create_summary or f"Create a {singular}",
            request=create,
            responses={201: output, **(create_errors or {})},
        ),
        retrieve=extend_schema(
            operation_id=f"{name}_retrieve",
            summary=f"Get a {singular}",
            parameters=[lookup],
            responses=output,
        ),
        partial_update=extend_schema(
            operation_id=f"{name}_partial_update",
            summary=f"Update a {singular}",
            parameters=[lookup],
            request=update,
            responses=output,
        ),
    )
