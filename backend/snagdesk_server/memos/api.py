"""Staff API for memos (``/api/v1/memos/``, ``memos`` permission): list with live
search and filters, create (JSON, or multipart/form-data with attachments), read,
update, delete, and react. Every answer holds only memos the caller may read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.api import (
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    error_response,
    permission_action,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.uploads import UploadLimitHandler, upload_limit
from snagdesk_server.memos import selectors, services
from snagdesk_server.memos.attachments import MAX_FILES
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.models import Memo, MemoAttachment
from snagdesk_server.memos.search import MAX_QUERY_LENGTH
from snagdesk_server.memos.selectors import MemoFilters
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket

TOO_LARGE = error_response("An attachment is over the size limit (refused while it streams).")


class MemoAttachmentSerializer(OutputSerializer):
    """A file attached to a memo; `url` downloads it (images show inline)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = MemoAttachment
        fields = ["id", "original_name", "content_type", "size", "is_image", "url"]

    def get_url(self, attachment: MemoAttachment) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("memos:attachment", args=[attachment.pk])


class ReactionSerializer(serializers.Serializer):
    """One emoji's reactions: how many, who, and whether the caller is among them."""

    emoji = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    names = serializers.ListField(child=serializers.CharField(), read_only=True)
    mine = serializers.BooleanField(read_only=True)


# A link the caller may not open is left out (null), as the console leaves it off the
# memo: every colleague reads a public memo, not every one may know its client.
_LINK_MODULES = {"client": "clients", "project": "projects", "ticket": "tickets"}


class MemoSerializer(OutputSerializer):
    """A memo: its Markdown `body`, the sanitized `body_html` Snagdesk shows, its tags,
    links, attachments and reactions."""

    author = NamedRefSerializer()
    visibility = EnumField(Memo.Visibility.choices, enum_name="MemoVisibility")
    client = NamedRefSerializer(allow_null=True, help_text="Null when you may not see clients.")
    project = NamedRefSerializer(allow_null=True, help_text="Null when you may not see projects.")
    ticket = serializers.SerializerMethodField(
        help_text="The linked ticket's number; null when you may not see tickets."
    )
    tags = serializers.SerializerMethodField(help_text="Hashtags, lower-case, without `#`.")
    attachments = MemoAttachmentSerializer(many=True)
    reactions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The memo's page in the console.")

    class Meta:
        model = Memo
        fields = [
            "id",
            "author",
            "body",
            "body_html",
            "visibility",
            "pinned",
            "client",
            "project",
            "ticket",
            "tags",
            "attachments",
            "reactions",
            "url",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, memo: Memo) -> dict[str, Any]:
        data = super().to_representation(memo)
        user = self.context["request"].user
        for field, module in _LINK_MODULES.items():
            if not has_module_perm(user, module, "view"):
                data[field] = None
        return data

    def get_ticket(self, memo: Memo) -> int | None:
        return memo.ticket.number if memo.ticket else None

    def get_tags(self, memo: Memo) -> list[str]:
        return sorted(tag.name for tag in memo.tags.all())

    @extend_schema_field(ReactionSerializer(many=True))
    def get_reactions(self, memo: Memo) -> list[dict[str, Any]]:
        # The settings are read once per request (core.config).
        choices = settings_get(MemoSettings).reaction_choices
        reactions = selectors.memo_reactions(
            memo, user=self.context["request"].user, choices=choices
        )
        return [vars(reaction) for reaction in reactions if reaction.count]

    def get_url(self, memo: Memo) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("memos:detail", args=[memo.pk])


def _ticket_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="number",
        queryset=Ticket.objects.all(),
        allow_null=True,
        help_text="A ticket's number.",
        **kwargs,
    )


class MemoWriteSerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, help_text="Markdown; #tags and @mentions.")
    visibility = EnumField(Memo.Visibility.choices, enum_name="MemoVisibility", required=False)
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(), required=False, allow_null=True
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    ticket = _ticket_field(required=False)
    pinned = serializers.BooleanField(required=False)


class MemoCreateSerializer(MemoWriteSerializer):
    """A new memo; without `visibility`, the setting's default."""

    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=f"Files to attach (at most {MAX_FILES}); "
        "send multipart/form-data to include them.",
    )


class MemoUpdateSerializer(MemoWriteSerializer):
    """The fields to change; the others stay."""


class MemoFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            "Every word must appear (substrings too); best match first, among the 1,000 "
            "most recent matches."
        ),
    )
    tag = serializers.CharField(required=False, help_text="A tag, with its nested tags.")
    author = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_staff=True), required=False
    )
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), required=False)
    ticket = serializers.SlugRelatedField(
        slug_field="number", queryset=Ticket.objects.all(), required=False
    )
    visibility = EnumField(Memo.Visibility.choices, enum_name="MemoVisibility", required=False)
    pinned = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReactSerializer(serializers.Serializer):
    emoji = serializers.CharField(
        max_length=32, help_text="One of the reactions the settings allow."
    )


@resource_schema(
    "memos",
    "memo",
    output=MemoSerializer,
    create=MemoCreateSerializer,
    update=MemoUpdateSerializer,
    filters=MemoFilterSerializer,
    create_summary="Write a memo",
    create_errors={413: TOO_LARGE},
)
class MemoViewSet(StaffViewSet):
    module = "memos"
    parser_classes = [*StaffViewSet.parser_classes, MultiPartParser]
    limit: UploadLimitHandler

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Before anything reads the body: a file past the limit stops as it streams.
        self.limit = upload_limit(request, settings_get(MemoSettings).max_attachment_bytes)
        return super().dispatch(request, *args, **kwargs)

    def _memo(self, pk: int, status: int = 200) -> Response:
        return self.respond(
            MemoSerializer, selectors.memo_get(user=self.actor, pk=pk), status=status
        )

    def list(self, request: Request) -> Response:
        """Memos you may read matching every filter: pinned first, then newest; with
        `q`, the 1,000 most recent matches, best match first."""
        data = self.validated(MemoFilterSerializer, request.query_params)
        filters = MemoFilters(
            query=data.get("q", ""),
            tag=data.get("tag", ""),
            author=data.get("author"),
            client=data.get("client"),
            project=data.get("project"),
            ticket=data.get("ticket"),
            visibility=data.get("visibility", ""),
            pinned=data.get("pinned"),
        )
        memos = selectors.memo_list(user=self.actor, filters=filters)
        return self.respond_page(MemoSerializer, memos)

    def create(self, request: Request) -> Response:
        """Writes a memo; mentioned colleagues who may read it are mailed."""
        # Parsed first: fields sent after a file past the limit were never read, so the
        # 413 comes before any complaint about them.
        payload = request.data
        if refusal := self.limit.refusal(field="attachments"):
            raise refusal
        data = self.validated(MemoCreateSerializer, payload)
        memo = services.memo_create(actor=self.actor, **data)
        return self._memo(memo.pk, status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self._memo(id)

    @permission_action("create")
    def partial_update(self, request: Request, id: int) -> Response:
        """Changes the fields given: your own memo, or with `memos.manage` a public one."""
        data = self.validated(MemoUpdateSerializer, request.data, partial=True)
        memo = selectors.memo_get(user=self.actor, pk=id)
        services.memo_update(memo=memo, actor=self.actor, **data)
        return self._memo(id)

    @extend_schema(
        operation_id="memos_destroy",
        summary="Delete a memo",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={204: None},
    )
    @permission_action("create")
    def destroy(self, request: Request, id: int) -> Response:
        """Deletes it with its attachments: your own memo, or with `memos.manage` a
        public one."""
        memo = selectors.memo_get(user=self.actor, pk=id)
        services.memo_delete(memo=memo, actor=self.actor)
        return Response(status=204)

    @extend_schema(
        operation_id="memos_react",
        summary="React to a memo",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request=ReactSerializer,
        responses={201: MemoSerializer, 409: error_response("You already reacted with it.")},
    )
    @action(detail=True, methods=["post"])
    @permission_action("view")
    def react(self, request: Request, id: int) -> Response:
        """Adds your reaction; each emoji once per person."""
        data = self.validated(ReactSerializer, request.data)
        memo = selectors.memo_get(user=self.actor, pk=id)
        services.memo_react(memo=memo, actor=self.actor, emoji=data["emoji"])
        return self._memo(id, status=201)

    @extend_schema(
        operation_id="memos_unreact",
        summary="Take back a reaction",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request=ReactSerializer,
        responses=MemoSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("view")
    def unreact(self, request: Request, id: int) -> Response:
        data = self.validated(ReactSerializer, request.data)
        memo = selectors.memo_get(user=self.actor, pk=id)
        services.memo_unreact(memo=memo, actor=self.actor, emoji=data["emoji"])
        return self._memo(id)
