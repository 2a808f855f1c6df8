"""Staff API for billing (``billing`` permission): services (list, deliver or import,
read, rename, renew, suspend, unsuspend, terminate), invoices (list, read, pay), each
client's wallet (read, top up) and billing details (read, update). Reading needs
``billing.view``; every change ``billing.manage``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.billing import selectors, services
from snagdesk_server.billing.models import (
    Cycle,
    Invoice,
    InvoiceLine,
    Product,
    Service,
    WalletEntry,
)
from snagdesk_server.core.api import (
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    error_response,
    permission_action,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.core.errors import ValidationError

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
CONFLICT = error_response(
    "The service's state or its invoices refuse it (`invalid_transition`, "
    "`not_renewable`, `renewals_exhausted`, `not_unpaid`, `insufficient_funds`…)."
)


class ServiceSerializer(OutputSerializer):
    """A service sold to a client: its product, state, cycle and price, expiry and
    renewals. `provisioning_error` holds the provisioning module's last failure, empty
    when its last call succeeded."""

    client = NamedRefSerializer()
    product = NamedRefSerializer()
    state = EnumField(Service.State.choices, enum_name="ServiceState")
    cycle = EnumField(Cycle.choices, enum_name="BillingCycle")
    monthly_price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    cycle_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        help_text="The monthly price times the cycle's months.",
    )
    url = serializers.SerializerMethodField(help_text="The service's page in the console.")

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "client",
            "product",
            "state",
            "cycle",
            "monthly_price",
            "cycle_price",
            "expires_on",
            "anchor_day",
            "max_renewals",
            "renewals_done",
            "wallet_auto_renew",
            "comment",
            "provisioning_error",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_url(self, service: Service) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("billing:service", args=[service.pk])


class ServiceFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=200, help_text="In the service, client or product name."
    )
    state = EnumField(Service.State.choices, enum_name="ServiceState", required=False)
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False)
    sort = serializers.ChoiceField(
        choices=list(selectors.SORTS),
        required=False,
        help_text="Expiry (soonest first) by default.",
    )


class ServiceCreateSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(active=True))
    cycle = EnumField(Cycle.choices, enum_name="BillingCycle", default=Cycle.MONTHLY)
    name = serializers.CharField(
        max_length=150,
        required=False,
        default="",
        allow_blank=True,
        help_text="The product's, if empty.",
    )
    monthly_price = serializers.CharField(
        max_length=20,
        required=False,
        default="",
        allow_blank=True,
        help_text="The product's, if empty.",
    )
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="One cycle from today, if empty; required with `existing`.",
    )
    max_renewals = serializers.IntegerField(required=False, default=0, help_text="0: unlimited.")
    wallet_auto_renew = serializers.BooleanField(required=False, default=False)
    comment = serializers.CharField(required=False, default="", allow_blank=True)
    existing = serializers.BooleanField(
        required=False,
        default=False,
        help_text="It runs already: record it online without provisioning.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["existing"] and data["expires_on"] is None:
            raise serializers.ValidationError(
                {"expires_on": [_("Give the expiry of a service you import.")]}
            )
        return data


class ServiceUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, help_text="Passed on to its provisioning module.")


class InvoiceLineSerializer(OutputSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["description", "quantity", "unit_price", "tax_rate", "net", "tax", "total"]


class InvoiceSerializer(OutputSerializer):
    """An invoice, numbered per year without gaps; a renewal names the period it pays."""

    client = NamedRefSerializer()
    kind = EnumField(Invoice.Kind.choices, enum_name="InvoiceKind")
    status = EnumField(Invoice.Status.choices, enum_name="InvoiceStatus")
    lines = InvoiceLineSerializer(many=True)
    credit_note = serializers.SerializerMethodField(
        help_text="The number of the credit note that refunded it, if any."
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "client",
            "kind",
            "status",
            "service",
            "period_start",
            "period_end",
            "net",
            "tax",
            "total",
            "lines",
            "credit_note",
            "issued_at",
            "paid_at",
        ]

    def get_credit_note(self, invoice: Invoice) -> str | None:
        note = getattr(invoice, "credit_note", None)
        return note.number if note else None


class InvoiceFilterSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False)
    status = EnumField(Invoice.Status.choices, enum_name="InvoiceStatus", required=False)


class PaySerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["manual", "wallet"],
        help_text="`manual`: received outside Snagdesk (a bank transfer); `wallet`: the "
        "whole total from the client's wallet.",
    )


class WalletEntrySerializer(OutputSerializer):
    kind = EnumField(WalletEntry.Kind.choices, enum_name="WalletEntryKind")
    invoice: serializers.SlugRelatedField[Invoice] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )

    class Meta:
        model = WalletEntry
        fields = ["id", "kind", "amount", "balance_after", "invoice", "reason", "created_at"]


class WalletSerializer(serializers.Serializer):
    """A client's wallet: its balance and its ledger, newest first (at most 100)."""

    client = serializers.IntegerField()
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    entries = WalletEntrySerializer(many=True)


class TopUpSerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=20, help_text="A positive amount, such as 20.00.")
    reason = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True, help_text="A reference."
    )


def _service_action(name: str, summary: str) -> Any:
    return extend_schema(
        operation_id=f"services_{name}",
        summary=summary,
        parameters=[ID],
        request=None,
        responses={200: ServiceSerializer, 409: CONFLICT},
    )


@resource_schema(
    "services",
    "service",
    output=ServiceSerializer,
    create=ServiceCreateSerializer,
    update=ServiceUpdateSerializer,
    filters=ServiceFilterSerializer,
    create_summary="Deliver or import a service",
)
class ServiceViewSet(StaffViewSet):
    module = "billing"

    def _service(self, pk: int, status: int = 200) -> Response:
        service = get_object_or_404(Service.objects.select_related("client", "product"), pk=pk)
        return self.respond(ServiceSerializer, service, status=status)

    def list(self, request: Request) -> Response:
        """Services matching every filter, by expiry (soonest first) unless `sort` says."""
        data = self.validated(ServiceFilterSerializer, request.query_params)
        found = selectors.service_list(
            search=data.get("q", ""), state=data.get("state", ""), sort=data.get("sort", "expiry")
        )
        if client := data.get("client"):
            found = found.filter(client=client)
        return self.respond_page(ServiceSerializer, found)

    @permission_action("manage")
    def create(self, request: Request) -> Response:
        """Delivers the service (its product's provisioning module creates it: online, or
        pending with `provisioning_error`), or with `existing` records one that runs."""
        data = self.validated(ServiceCreateSerializer, request.data)
        make = services.service_import if data.pop("existing") else services.service_deliver
        service = make(actor=self.actor, now=timezone.now(), **data)
        return self._service(service.pk, status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self._service(id)

    @permission_action("manage")
    def partial_update(self, request: Request, id: int) -> Response:
        """Renames it (the name staff and the client know it by)."""
        data = self.validated(ServiceUpdateSerializer, request.data, partial=True)
        service = get_object_or_404(Service, pk=id)
        if "name" in data:
            services.service_rename(
                actor=self.actor, service=service, name=data["name"], now=timezone.now()
            )
        return self._service(id)

    @extend_schema(
        operation_id="services_renew",
        summary="Renew a service",
        parameters=[ID],
        request=None,
        responses={
            200: OpenApiResponse(InvoiceSerializer, "The period's invoice, issued before."),
            201: OpenApiResponse(InvoiceSerializer, "The period's invoice, issued now."),
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def renew(self, request: Request, id: int) -> Response:
        """The invoice of its next cycle: the pending one when there is one (200), else a
        new one (201)."""
        service = get_object_or_404(Service, pk=id)
        now = timezone.now()
        invoice = services.service_renew(actor=self.actor, service=service, now=now)
        return self.respond(
            InvoiceSerializer, invoice, status=201 if invoice.issued_at == now else 200
        )

    def _change(self, id: int, change: Any) -> Response:
        service = get_object_or_404(Service.objects.select_related("product"), pk=id)
        change(actor=self.actor, service=service, now=timezone.now())
        return self._service(id)

    @_service_action("suspend", "Suspend a service")
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def suspend(self, request: Request, id: int) -> Response:
        return self._change(id, services.service_suspend)

    @_service_action("unsuspend", "Unsuspend a service")
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def unsuspend(self, request: Request, id: int) -> Response:
        return self._change(id, services.service_unsuspend)

    @_service_action("terminate", "Terminate a service")
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def terminate(self, request: Request, id: int) -> Response:
        """Removes it where it runs, for good."""
        return self._change(id, services.service_terminate)


@extend_schema_view(
    list=extend_schema(
        operation_id="invoices_list",
        summary="List invoices",
        parameters=[InvoiceFilterSerializer],
        responses=InvoiceSerializer(many=True),
    ),
    retrieve=extend_schema(
        operation_id="invoices_retrieve",
        summary="Read an invoice",
        parameters=[ID],
        responses=InvoiceSerializer,
    ),
)
class InvoiceViewSet(StaffViewSet):
    module = "billing"

    def _invoices(self) -> Any:
        return Invoice.objects.select_related("client", "credit_note").prefetch_related("lines")

    def list(self, request: Request) -> Response:
        """Invoices matching every filter, newest first."""
        data = self.validated(InvoiceFilterSerializer, request.query_params)
        found = self._invoices().order_by("-issued_at", "-pk")
        for name in ("client", "service", "status"):
            if data.get(name):
                found = found.filter(**{name: data[name]})
        return self.respond_page(InvoiceSerializer, found)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(InvoiceSerializer, get_object_or_404(self._invoices(), pk=id))

    @extend_schema(
        operation_id="invoices_pay",
        summary="Pay an invoice",
        parameters=[ID],
        request=PaySerializer,
        responses={200: InvoiceSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def pay(self, request: Request, id: int) -> Response:
        """Marks it paid, or pays it whole from the wallet; a renewal extends its
        service by one cycle from the period it renews."""
        data = self.validated(PaySerializer, request.data)
        invoice = get_object_or_404(Invoice, pk=id)
        pay = (
            services.invoice_mark_paid
            if data["method"] == "manual"
            else services.invoice_pay_from_wallet
        )
        pay(actor=self.actor, invoice=invoice, now=timezone.now())
        return self.respond(InvoiceSerializer, get_object_or_404(self._invoices(), pk=id))


CLIENT = OpenApiParameter("client", int, OpenApiParameter.PATH, description="The client's id.")


@extend_schema_view(
    retrieve=extend_schema(
        operation_id="wallets_retrieve",
        summary="Read a client's wallet",
        parameters=[CLIENT],
        responses=WalletSerializer,
    ),
)
class WalletViewSet(StaffViewSet):
    module = "billing"
    lookup_field = "client"

    def _wallet(self, client: int, status: int = 200) -> Response:
        owner = get_object_or_404(Client, pk=client)
        balance, entries = selectors.wallet_ledger(owner.pk, limit=100)
        data = {"client": owner.pk, "balance": balance, "entries": entries}
        return self.respond(WalletSerializer, data, status=status)

    def retrieve(self, request: Request, client: int) -> Response:
        return self._wallet(client)

    @extend_schema(
        operation_id="wallets_top_up",
        summary="Record a top-up",
        parameters=[CLIENT],
        request=TopUpSerializer,
        responses={201: WalletSerializer},
    )
    @action(detail=True, methods=["post"], url_path="top-up")
    @permission_action("manage")
    def top_up(self, request: Request, client: int) -> Response:
        """Money the client added to their wallet (a bank transfer), recorded by staff."""
        data = self.validated(TopUpSerializer, request.data)
        owner = get_object_or_404(Client, pk=client)
        services.wallet_top_up(actor=self.actor, client=owner, now=timezone.now(), **data)
        return self._wallet(client, status=201)


class BillingProfileSerializer(serializers.Serializer):
    """A client's billing details: the contact who receives its invoices (null: its
    primary contacts) and the tax rate that replaces its products' own (null: theirs)."""

    client = serializers.IntegerField()
    billing_contact = serializers.IntegerField(allow_null=True, source="billing_contact_id")
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class BillingProfileUpdateSerializer(serializers.Serializer):
    billing_contact = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="An active contact of the client; null: its primary contacts.",
    )
    tax_rate = serializers.CharField(
        max_length=6,
        allow_null=True,
        allow_blank=True,
        required=False,
        help_text="From 0 to 99.99, such as 20.00; null: each product's own rate.",
    )


@extend_schema_view(
    retrieve=extend_schema(
        operation_id="billing_profiles_retrieve",
        summary="Read a client's billing details",
        parameters=[CLIENT],
        responses=BillingProfileSerializer,
    ),
    partial_update=extend_schema(
        operation_id="billing_profiles_partial_update",
        summary="Update a client's billing details",
        parameters=[CLIENT],
        request=BillingProfileUpdateSerializer,
        responses=BillingProfileSerializer,
    ),
)
class BillingProfileViewSet(StaffViewSet):
    module = "billing"
    lookup_field = "client"

    def _profile(self, client: int) -> Response:
        owner = get_object_or_404(Client, pk=client)
        profile = selectors.billing_profile(owner)
        data = {
            "client": owner.pk,
            "billing_contact_id": profile.billing_contact_id,
            "tax_rate": profile.tax_rate,
        }
        return self.respond(BillingProfileSerializer, data)

    def retrieve(self, request: Request, client: int) -> Response:
        return self._profile(client)

    @permission_action("manage")
    def partial_update(self, request: Request, client: int) -> Response:
        """Changes the fields given; the tax rate applies to invoices issued from now on."""
        data = self.validated(BillingProfileUpdateSerializer, request.data, partial=True)
        owner = get_object_or_404(Client, pk=client)
        current = selectors.billing_profile(owner)
        contact: Contact | None = current.billing_contact
        if "billing_contact" in data:
            contact = (
                None
                if data["billing_contact"] is None
                else Contact.objects.filter(pk=data["billing_contact"]).first()
            )
            if contact is None and data["billing_contact"] is not None:
                raise ValidationError(
                    field_errors={
                        "billing_contact": [_("Choose an active contact of this client.")]
                    }
                )
        services.billing_profile_update(
            actor=self.actor,
            client=owner,
            billing_contact=contact,
            tax_rate=data.get("tax_rate", current.tax_rate),
            now=timezone.now(),
        )
        return self._profile(client)
