"""Staff API for projects (``/api/v1/projects/``), under the ``projects`` permission.

Projects are not deleted through the API: set ``status`` to ``cancelled`` instead.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.api import (
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    SearchFilterSerializer,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.projects import selectors, services
from snagdesk_server.projects.models import Project


def _status_field(**kwargs: Any) -> EnumField:
    return EnumField(Project.Status.choices, enum_name="ProjectStatus", **kwargs)


class ProjectSerializer(OutputSerializer):
    """A project owned by a client."""

    client = NamedRefSerializer()
    status = _status_field()
    members = NamedRefSerializer(many=True, help_text="The staff members on the project.")

    class Meta:
        model = Project
        fields = [
            "id",
            "client",
            "name",
            "description",
            "status",
            "members",
            "start_date",
            "deadline",
            "created_at",
        ]


class ProjectUpdateSerializer(serializers.Serializer):
    """Any subset of a project's fields; a project cannot move to another client."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    status = _status_field(required=False)
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_staff=True),
        many=True,
        required=False,
        help_text="Ids of the staff members on the project; replaces the current list.",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="On or after the start date."
    )


class ProjectCreateSerializer(ProjectUpdateSerializer):
    """A new project of `client`."""

    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())


class ProjectFilterSerializer(SearchFilterSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Search the project and client names."
    )
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(), required=False, help_text="Only this client's projects."
    )
    status = _status_field(required=False, help_text="Only projects with this status.")


@resource_schema(
    "projects",
    "project",
    output=ProjectSerializer,
    create=ProjectCreateSerializer,
    update=ProjectUpdateSerializer,
    filters=ProjectFilterSerializer,
)
class ProjectViewSet(StaffViewSet):
    module = "projects"

    def list(self, request: Request) -> Response:
        """Projects ordered by name."""
        filters = self.validated(ProjectFilterSerializer, request.query_params, partial=True)
        projects = selectors.project_list_with_members(
            client=filters.get("client"),
            search=filters["search"],
            status=filters.get("status", ""),
        )
        return self.respond_page(ProjectSerializer, projects)

    def create(self, request: Request) -> Response:
        data = self.validated(ProjectCreateSerializer, request.data)
        project = services.project_create(actor=self.actor, **data)
        return self.respond(ProjectSerializer, selectors.project_get(pk=project.pk), status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(ProjectSerializer, selectors.project_get(pk=id))

    def partial_update(self, request: Request, id: int) -> Response:
        data = self.validated(ProjectUpdateSerializer, request.data, partial=True)
        project = services.project_update(
            project=selectors.project_get(pk=id), actor=self.actor, **data
        )
        return self.respond(ProjectSerializer, selectors.project_get(pk=project.pk))
