"""Staff API for secure messages (``/api/v1/secure-messages/``, ``secure_messages``
permission). The console's create form posts here too.

The client encrypts (docs/secure-messages.md): a create sends the id it chose, the
ciphertext envelope and the verifier, never the text or the key. Answers carry only
metadata, and the link without its key: the caller appends ``#<key>``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Client
from snagdesk_server.core.api import (
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    permission_action,
)
from snagdesk_server.core.api_views import StaffViewSet
from snagdesk_server.secure_messages import selectors, services
from snagdesk_server.secure_messages.models import SecureMessage

SECRET_ID_PARAMETER = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description="The secure message's id."
)


def secret_url(message: SecureMessage) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("secure_messages_public:open", args=[message.pk])


def answer_url(message: SecureMessage) -> str | None:
    """Where a request is answered; None for a secret."""
    if message.kind != SecureMessage.Kind.REQUEST:
        return None
    return settings.SITE_URL.rstrip("/") + reverse(
        "secure_messages_public:answer", args=[message.pk]
    )


class SecureMessageSerializer(OutputSerializer):
    """A secure message's metadata: never its text, its key or its ciphertext."""

    kind = EnumField(SecureMessage.Kind.choices, enum_name="SecureMessageKind")
    expiry = EnumField(SecureMessage.Expiry.choices, enum_name="SecureMessageExpiry")
    status = serializers.SerializerMethodField(
        help_text="`requested` (a request not answered yet), `waiting`, `read` or `expired`."
    )
    client = NamedRefSerializer(allow_null=True)
    created_by = NamedRefSerializer(
        allow_null=True, help_text="The staff member; null: the portal."
    )
    url = serializers.SerializerMethodField(
        help_text="The link without its key: append `#<key>` to share it."
    )
    answer_url = serializers.SerializerMethodField(
        help_text="A request's link for the client, without its key; null for a secret."
    )

    class Meta:
        model = SecureMessage
        fields = [
            "id",
            "kind",
            "status",
            "note",
            "client",
            "created_by",
            "expiry",
            "burn_after_reading",
            "has_password",
            "url",
            "answer_url",
            "created_at",
            "expires_at",
            "answered_at",
            "read_at",
            "read_count",
        ]

    def get_status(self, message: SecureMessage) -> str:
        return message.status_at(timezone.now())

    def get_url(self, message: SecureMessage) -> str:
        return secret_url(message)

    def get_answer_url(self, message: SecureMessage) -> str | None:
        return answer_url(message)


class ExpiryField(EnumField):
    """Documented as the ``SecureMessageExpiry`` enum but checked by the service, so that
    an unknown expiry answers its own code, ``invalid_expiry``, like the envelope's."""

    def to_internal_value(self, data: Any) -> Any:
        return data


class EnvelopeSerializer(serializers.Serializer):
    """The ciphertext envelope, checked in full by the service (codes in the docs)."""

    v = serializers.IntegerField(help_text="1.")
    alg = serializers.CharField(help_text="`A256GCM`.")
    kdf = serializers.CharField(help_text="`none`, or `PBKDF2-SHA256` with a password.")
    iter = serializers.IntegerField(required=False, help_text="PBKDF2 iterations, ≥ 600000.")
    iv = serializers.CharField(help_text="12 bytes, base64url.")
    ct = serializers.CharField(help_text="Ciphertext and 16-byte tag, base64url.")


@extend_schema_field(EnvelopeSerializer)
class EnvelopeField(serializers.JSONField):
    """Any JSON, documented as ``EnvelopeSerializer``: the service checks its shape and
    names what is wrong (``invalid_iv``…), where a serializer would only say ``invalid``."""


class SecureMessageCreateSerializer(serializers.Serializer):
    """A secret (`kind` message, with its `envelope`) or a request for one."""

    id = serializers.CharField(help_text="16 random bytes, base64url (22 characters).")
    kind = EnumField(SecureMessage.Kind.choices, enum_name="SecureMessageKind")
    verifier = serializers.CharField(
        write_only=True, help_text="HKDF-SHA256 of the key material, 32 bytes, base64url."
    )
    # Null or missing is ``invalid_envelope`` for a secret, as any shape the service
    # does not know.
    envelope = EnvelopeField(
        required=False,
        allow_null=True,
        help_text="The ciphertext envelope of a secret; none for a request.",
    )
    expiry = ExpiryField(SecureMessage.Expiry.choices, enum_name="SecureMessageExpiry")
    burn_after_reading = serializers.BooleanField()
    has_password = serializers.BooleanField(
        required=False, default=False, help_text="The key is stretched with a password."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="For the staff list only."
    )
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(), required=False, allow_null=True
    )


class SecureMessageFilterSerializer(serializers.Serializer):
    status = EnumField(
        SecureMessage.Status.choices, enum_name="SecureMessageStatus", required=False
    )
    mine = serializers.BooleanField(
        required=False, help_text="Only yours, even with the manage permission."
    )
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False)


@extend_schema_view(
    list=extend_schema(
        operation_id="secure_messages_list",
        summary="List secure messages",
        parameters=[SecureMessageFilterSerializer],
        responses=SecureMessageSerializer(many=True),
    ),
    create=extend_schema(
        operation_id="secure_messages_create",
        summary="Create a secure message",
        request=SecureMessageCreateSerializer,
        responses={201: SecureMessageSerializer},
    ),
    retrieve=extend_schema(
        operation_id="secure_messages_retrieve",
        summary="Get a secure message",
        parameters=[SECRET_ID_PARAMETER],
        responses=SecureMessageSerializer,
    ),
)
class SecureMessageViewSet(StaffViewSet):
    module = "secure_messages"
    lookup_value_converter = "str"

    @permission_action("create")
    def list(self, request: Request) -> Response:
        """Your secure messages, newest first; every one with `secure_messages.manage`."""
        filters = self.validated(SecureMessageFilterSerializer, request.query_params)
        messages = selectors.secure_message_list(user=self.actor, **filters)
        return self.respond_page(SecureMessageSerializer, messages)

    @permission_action("create")
    def create(self, request: Request) -> Response:
        """Keeps a secret the caller encrypted, or a request for one; the answer's `url`
        plus `#<key>` is the link."""
        data = self.validated(SecureMessageCreateSerializer, request.data)
        message = services.secure_message_create(actor=self.actor, **data)
        return self.respond(SecureMessageSerializer, message, status=201)

    @permission_action("create")
    def retrieve(self, request: Request, id: str) -> Response:
        message = selectors.secure_message_get(user=self.actor, secret_id=id)
        return self.respond(SecureMessageSerializer, message)

    @extend_schema(
        operation_id="secure_messages_revoke",
        summary="Revoke a secure message",
        parameters=[SECRET_ID_PARAMETER],
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post"])
    @permission_action("create")
    def revoke(self, request: Request, id: str) -> Response:
        """Deletes it now, ciphertext and all; the link answers 404 from then on."""
        message = selectors.secure_message_get(user=self.actor, secret_id=id)
        services.secure_message_revoke(message=message, actor=self.actor)
        return Response(status=204)
