"""Staff API for clients and their contacts (``/api/v1/clients/``, ``/api/v1/contacts/``).

Both need the ``clients`` module permission. Nothing is deleted through the API:
deactivate a client or contact with ``PATCH {"active": false}`` instead.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts import selectors, services
from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.core.api import (
    NamedRefSerializer,
    OutputSerializer,
    SearchFilterSerializer,
    error_response,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "snagdesk_server.accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "sdk_<prefix>_<secret>",
            "description": "A staff member's personal API token, created under Account → "
            "API tokens: `Authorization: Bearer sdk_…`. It acts as that staff member, "
            "with their module permissions.",
        }


# Clients -------------------------------------------------------------------------------


class ClientSerializer(OutputSerializer):
    """A company the agency works for."""

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "vat_number",
            "address",
            "city",
            "postal_code",
            "country",
            "website",
            "phone",
            "active",
            "created_at",
        ]


class ClientCreateSerializer(serializers.Serializer):
    """A new client; only `name` is required."""

    name = serializers.CharField(max_length=200)
    vat_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, help_text="Inactive clients stay listed.")


class ClientUpdateSerializer(ClientCreateSerializer):
    """Any subset of a client's fields."""


class ClientFilterSerializer(SearchFilterSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Search the name, VAT number and website."
    )
    active = serializers.BooleanField(required=False, help_text="Only active or inactive clients.")


@resource_schema(
    "clients",
    "client",
    output=ClientSerializer,
    create=ClientCreateSerializer,
    update=ClientUpdateSerializer,
    filters=ClientFilterSerializer,
)
class ClientViewSet(StaffViewSet):
    module = "clients"

    def list(self, request: Request) -> Response:
        """Clients ordered by name."""
        filters = self.validated(ClientFilterSerializer, request.query_params, partial=True)
        clients = selectors.client_list(search=filters["search"], active=filters.get("active"))
        return self.respond_page(ClientSerializer, clients)

    def create(self, request: Request) -> Response:
        data = self.validated(ClientCreateSerializer, request.data)
        client = services.client_create(actor=self.actor, **data)
        return self.respond(ClientSerializer, client, status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(ClientSerializer, selectors.client_get(pk=id))

    def partial_update(self, request: Request, id: int) -> Response:
        data = self.validated(ClientUpdateSerializer, request.data, partial=True)
        client = services.client_update(
            client=selectors.client_get(pk=id), actor=self.actor, **data
        )
        return self.respond(ClientSerializer, client)


# Contacts ------------------------------------------------------------------------------


class ContactSerializer(OutputSerializer):
    """A person at a client."""

    client = NamedRefSerializer()
    full_name = serializers.CharField()
    has_portal_login = serializers.SerializerMethodField(
        help_text="Whether the contact can sign in to the client portal."
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "title",
            "is_primary",
            "active",
            "language",
            "has_portal_login",
            "created_at",
        ]

    def get_has_portal_login(self, contact: Contact) -> bool:
        return contact.user_id is not None


class ContactUpdateSerializer(serializers.Serializer):
    """Any subset of a contact's fields; a contact cannot move to another client."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(help_text="Unique among the client's contacts.")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    title = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Job title."
    )
    is_primary = serializers.BooleanField(
        required=False,
        help_text="The client's primary contact sees all the company's tickets in the "
        "portal; making a contact primary demotes the previous one.",
    )
    active = serializers.BooleanField(
        required=False, help_text="An inactive contact cannot sign in to the portal."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
        help_text="The language of the contact's portal and emails; empty follows their "
        "browser (and the installation's language in emails).",
    )


class ContactCreateSerializer(ContactUpdateSerializer):
    """A new contact of `client`."""

    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    portal_password = serializers.CharField(
        required=False,
        write_only=True,
        style={"input_type": "password"},
        help_text="Give the contact a portal login with this password.",
    )


class ContactFilterSerializer(SearchFilterSerializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Search the names and email."
    )
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(), required=False, help_text="Only this client's contacts."
    )


@resource_schema(
    "contacts",
    "contact",
    output=ContactSerializer,
    create=ContactCreateSerializer,
    update=ContactUpdateSerializer,
    filters=ContactFilterSerializer,
    create_errors={
        409: error_response(
            "`email_taken`: a portal login was asked for, but another account "
            "already uses this email."
        )
    },
)
class ContactViewSet(StaffViewSet):
    module = "clients"

    def list(self, request: Request) -> Response:
        """Contacts ordered by client name, each client's primary contact first."""
        filters = self.validated(ContactFilterSerializer, request.query_params, partial=True)
        contacts = selectors.contact_list(client=filters.get("client"), search=filters["search"])
        return self.respond_page(ContactSerializer, contacts)

    def create(self, request: Request) -> Response:
        """Creates a contact, with a portal login when `portal_password` is given."""
        data = self.validated(ContactCreateSerializer, request.data)
        contact = services.contact_create(actor=self.actor, **data)
        return self.respond(ContactSerializer, selectors.contact_get(pk=contact.pk), status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(ContactSerializer, selectors.contact_get(pk=id))

    def partial_update(self, request: Request, id: int) -> Response:
        data = self.validated(ContactUpdateSerializer, request.data, partial=True)
        contact = services.contact_update(
            contact=selectors.contact_get(pk=id), actor=self.actor, **data
        )
        return self.respond(ContactSerializer, selectors.contact_get(pk=contact.pk))
