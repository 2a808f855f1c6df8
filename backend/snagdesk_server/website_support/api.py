"""Staff API for widget tokens (``/api/v1/widget-tokens/``, ``website_support`` permission).

A token's key is public (it is in the snippet on the client's site), so answers include it.
Tokens are disabled rather than deleted through the API.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core.api import (
    ID_PARAMETER,
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    SearchFilterSerializer,
    permission_action,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department, Ticket
from snagdesk_server.website_support import selectors, services
from snagdesk_server.website_support.appearance import (
    COLOR_PATTERN,
    POSITION_CHOICES,
    TEXT_COLOR_CHOICES,
)
from snagdesk_server.website_support.models import WidgetToken


def _priority(**kwargs: Any) -> EnumField:
    return EnumField(Ticket.Priority.choices, enum_name="TicketPriority", **kwargs)


def _related(queryset: Any, help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, required=False, allow_null=True, help_text=help_text
    )


class WidgetAppearanceSerializer(serializers.Serializer):
    """How the widget looks on this site; a missing key uses the widget settings."""

    accent_color = serializers.RegexField(
        COLOR_PATTERN, required=False, help_text="A colour as `#rrggbb`."
    )
    text_color = EnumField(
        TEXT_COLOR_CHOICES,
        enum_name="WidgetTextColor",
        required=False,
        help_text="Text on the accent colour.",
    )
    position = EnumField(
        POSITION_CHOICES,
        enum_name="WidgetPosition",
        required=False,
        help_text="The corner of the page the button sits in.",
    )


class WidgetTokenSerializer(OutputSerializer):
    """A widget token: the sites the widget may run on, and where their tickets go."""

    snippet = serializers.SerializerMethodField(
        help_text="The tag to paste before `</body>` on the client's site."
    )
    project = NamedRefSerializer()
    client = NamedRefSerializer(source="project.client", help_text="The project's client.")
    allowed_origins = serializers.ListField(
        child=serializers.CharField(), help_text="Origins the widget may be used from."
    )
    default_contact = NamedRefSerializer(
        allow_null=True, help_text="Tickets are sent as this contact; null: the visitor says."
    )
    active = serializers.BooleanField(
        source="is_active", help_text="A disabled token's widget accepts nothing."
    )
    department = NamedRefSerializer(allow_null=True, help_text="Null: the widget default.")
    priority = serializers.SerializerMethodField()
    assignee = NamedRefSerializer(allow_null=True, help_text="Null: the widget default.")
    appearance = WidgetAppearanceSerializer()

    class Meta:
        model = WidgetToken
        fields = [
            "id",
            "name",
            "key",
            "snippet",
            "project",
            "client",
            "allowed_origins",
            "allow_subdomains",
            "default_contact",
            "require_login",
            "active",
            "department",
            "priority",
            "assignee",
            "appearance",
            "submission_count",
            "last_used_at",
            "created_at",
            "rotated_at",
        ]
        extra_kwargs = {
            "key": {"help_text": "Public: it is in the snippet. Rotating replaces it."},
            "submission_count": {"help_text": "Tickets sent through this token."},
            "last_used_at": {"help_text": "When a ticket last came through this token."},
            "rotated_at": {"help_text": "When the key was last replaced."},
        }

    def get_snippet(self, token: WidgetToken) -> str:
        return selectors.staff_token_snippet(token=token)

    @extend_schema_field(_priority(allow_null=True, help_text="Null: the widget default."))
    def get_priority(self, token: WidgetToken) -> str | None:
        return token.priority or None


class WidgetTokenUpdateSerializer(serializers.Serializer):
    """Any subset of a token's fields; `appearance` replaces the current overrides."""

    name = serializers.CharField(max_length=100, help_text="Which site this is.")
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), help_text="Tickets are filed under this project."
    )
    allowed_origins = serializers.ListField(
        child=serializers.CharField(max_length=200),
        help_text="Origins such as `https://client.example`: scheme, host and port, no path.",
    )
    allow_subdomains = serializers.BooleanField(
        required=False, help_text="Also accept the subdomains of the allowed origins."
    )
    default_contact = _related(
        Contact.objects.all(), "A contact of the project's client; null: the visitor says."
    )
    require_login = serializers.BooleanField(
        required=False, help_text="Only visitors signed in to the client portal may send."
    )
    department = _related(Department.objects.all(), "Null: the widget settings' default.")
    priority = _priority(
        required=False, allow_null=True, help_text="Null: the widget settings' default."
    )
    assignee = _related(User.objects.all(), "An active staff member; null: the default.")
    appearance = WidgetAppearanceSerializer(required=False)


class WidgetTokenCreateSerializer(WidgetTokenUpdateSerializer):
    """A new token; `name`, `project` and `allowed_origins` are required."""


class WidgetTokenFilterSerializer(SearchFilterSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Search the token, project and client names."
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, help_text="Only this project's tokens."
    )
    active = serializers.BooleanField(required=False, help_text="Only active or disabled tokens.")


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validated input as the services' keyword arguments: no priority is ``""``."""
    if "priority" in data:
        data["priority"] = data["priority"] or ""
    if "appearance" in data:
        data["appearance"] = dict(data["appearance"])
    return data


@resource_schema(
    "widget_tokens",
    "widget token",
    output=WidgetTokenSerializer,
    create=WidgetTokenCreateSerializer,
    update=WidgetTokenUpdateSerializer,
    filters=WidgetTokenFilterSerializer,
)
class WidgetTokenViewSet(StaffViewSet):
    module = "website_support"

    def _token(self, pk: int, status: int = 200) -> Response:
        # Read back after a write so every answer has the same, fully loaded shape.
        return self.respond(WidgetTokenSerializer, selectors.staff_token_get(pk=pk), status=status)

    def list(self, request: Request) -> Response:
        """Tokens ordered by name."""
        filters = self.validated(WidgetTokenFilterSerializer, request.query_params, partial=True)
        tokens = selectors.staff_token_list(
            search=filters["search"], project=filters.get("project"), active=filters.get("active")
        )
        return self.respond_page(WidgetTokenSerializer, tokens)

    def create(self, request: Request) -> Response:
        """Creates an active token with a new key; paste its `snippet` into the site."""
        data = _service_fields(self.validated(WidgetTokenCreateSerializer, request.data))
        token = services.widget_token_create(actor=self.actor, **data)
        return self._token(token.pk, status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self._token(id)

    def partial_update(self, request: Request, id: int) -> Response:
        """Changes the fields given; the key stays."""
        data = self.validated(WidgetTokenUpdateSerializer, request.data, partial=True)
        token = selectors.staff_token_get(pk=id)
        services.widget_token_update(token=token, actor=self.actor, **_service_fields(data))
        return self._token(id)

    @extend_schema(
        operation_id="widget_tokens_rotate",
        summary="Rotate a widget token's key",
        parameters=[ID_PARAMETER],
        request=None,
        responses=WidgetTokenSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def rotate(self, request: Request, id: int) -> Response:
        """Gives the token a new key. The old snippet stops working at once: replace it
        with the new `snippet` on the site."""
        services.widget_token_rotate(token=selectors.staff_token_get(pk=id), actor=self.actor)
        return self._token(id)

    @extend_schema(
        operation_id="widget_tokens_disable",
        summary="Disable a widget token",
        parameters=[ID_PARAMETER],
        request=None,
        responses=WidgetTokenSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def disable(self, request: Request, id: int) -> Response:
        """The widget stops accepting feedback until the token is enabled again."""
        token = selectors.staff_token_get(pk=id)
        services.widget_token_disable(token=token, actor=self.actor)
        return self._token(id)

    @extend_schema(
        operation_id="widget_tokens_enable",
        summary="Enable a widget token",
        parameters=[ID_PARAMETER],
        request=None,
        responses=WidgetTokenSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def enable(self, request: Request, id: int) -> Response:
        """The widget accepts feedback again, with the same key."""
        token = selectors.staff_token_get(pk=id)
        services.widget_token_enable(token=token, actor=self.actor)
        return self._token(id)
