"""Staff API for support packages (``support_packages`` permission): package types
(list, create, read, update) and assignments (list, assign, read, deactivate, balance,
ledger, consume, adjust, reverse). Reading needs ``support_packages.view``; every
change ``support_packages.manage``."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.api import (
    ID_PARAMETER,
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    error_response,
    permission_action,
)
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.support_packages import selectors, services
from snagdesk_server.support_packages.models import (
    Assignment,
    Batch,
    DiscountTier,
    Entry,
    PackageType,
)
from snagdesk_server.support_packages.services import TypeInput
from snagdesk_server.tickets.models import Ticket

INACTIVE = error_response("The assignment is deactivated (`inactive`).")
CONSUME_CONFLICT = error_response(
    "Not enough units remain under the block policy (`insufficient_units`), or the "
    "assignment is deactivated (`inactive`)."
)
BAD_PAGE = error_response("Invalid `page` or `page_size`; `fields` names it.")
REVERSE_CONFLICT = error_response(
    "The entry is not a consumption (`not_reversible`), is reversed already "
    "(`already_reversed`), its batch has expired (`batch_expired`), or the assignment "
    "is deactivated (`inactive`)."
)


# Package types ------------------------------------------------------------------------


class PackageTierSerializer(OutputSerializer):
    """From subscription month `month` on, `value` off the price (a percentage or an
    amount, by the type's `discount_kind`), until the next tier."""

    class Meta:
        model = DiscountTier
        fields = ["month", "value"]


class PackageTypeSerializer(OutputSerializer):
    """A package type: how many units each grant gives, how long they stay valid, how
    often it renews, its price and its discount tiers."""

    overage = EnumField(PackageType.Overage.choices, enum_name="PackageOverage")
    discount_kind = EnumField(PackageType.DiscountKind.choices, enum_name="PackageDiscountKind")
    after_last_tier = EnumField(PackageType.AfterLastTier.choices, enum_name="PackageAfterLastTier")
    tiers = PackageTierSerializer(many=True)

    class Meta:
        model = PackageType
        fields = [
            "id",
            "name",
            "unit_plural",
            "unit_singular",
            "units",
            "validity_months",
            "renewal_months",
            "cumulative",
            "description",
            "price",
            "tax_rate",
            "overage",
            "low_balance_threshold",
            "discount_kind",
            "after_last_tier",
            "active",
            "tiers",
        ]


class PackageTierInputSerializer(serializers.Serializer):
    month = serializers.IntegerField(help_text="The subscription month it starts, from 1.")
    value = serializers.CharField(
        max_length=20, help_text="A percentage or an amount above zero, such as 10.00."
    )


class PackageTypeInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    unit_plural = serializers.CharField(
        max_length=50, help_text="What a unit is called, such as tickets."
    )
    unit_singular = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text="Suggested from the plural, if empty.",
    )
    units = serializers.IntegerField(help_text="Units each grant gives, from 1.")
    validity_months = serializers.IntegerField(help_text="How long a grant stays valid.")
    renewal_months = serializers.IntegerField(
        required=False, help_text="Renew every this many months; 0 (default): no renewal."
    )
    cumulative = serializers.BooleanField(
        required=False, help_text="Unused units stay until they expire (default)."
    )
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.CharField(
        max_length=20, required=False, help_text="Such as 49.00; 0.00 (default): free."
    )
    tax_rate = serializers.CharField(
        max_length=6, required=False, help_text="A percentage from 0 to 100, such as 20.00."
    )
    overage = EnumField(PackageType.Overage.choices, enum_name="PackageOverage", required=False)
    low_balance_threshold = serializers.IntegerField(
        required=False, help_text="Alert the contact at this many units or fewer."
    )
    discount_kind = EnumField(
        PackageType.DiscountKind.choices, enum_name="PackageDiscountKind", required=False
    )
    after_last_tier = EnumField(
        PackageType.AfterLastTier.choices, enum_name="PackageAfterLastTier", required=False
    )
    active = serializers.BooleanField(required=False, help_text="It can be assigned.")
    tiers = PackageTierInputSerializer(
        many=True, required=False, help_text="In ascending months; replaces every tier."
    )


def _type_input(data: dict[str, Any], current: PackageType | None = None) -> TypeInput:
    """``data`` as the service's input, over ``current``'s values for a partial update."""
    values: dict[str, Any] = {}
    if current is not None:
        names = [f.name for f in dataclasses.fields(TypeInput) if f.name != "tiers"]
        values = {name: getattr(current, name) for name in names}
        values["tiers"] = [(tier.month, tier.value) for tier in current.tiers.all()]
    given = dict(data)
    if "tiers" in given:
        given["tiers"] = [(tier["month"], tier["value"]) for tier in given["tiers"]]
    return TypeInput(**{**values, **given})


@resource_schema(
    "package_types",
    "package type",
    output=PackageTypeSerializer,
    create=PackageTypeInputSerializer,
    update=PackageTypeInputSerializer,
)
class PackageTypeViewSet(StaffViewSet):
    module = "support_packages"

    def list(self, request: Request) -> Response:
        """Every package type, by name, with its discount tiers."""
        return self.respond_page(PackageTypeSerializer, selectors.package_type_list())

    @permission_action("manage")
    def create(self, request: Request) -> Response:
        """A new type; `fields` names every wrong value."""
        data = self.validated(PackageTypeInputSerializer, request.data)
        created = services.package_type_create(
            actor=self.actor, data=_type_input(data), now=timezone.now()
        )
        return self.respond(PackageTypeSerializer, selectors.package_type_get(created.pk), 201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(PackageTypeSerializer, selectors.package_type_get(id))

    @permission_action("manage")
    def partial_update(self, request: Request, id: int) -> Response:
        """Changes the fields given (`tiers` replaces them all); what the type grants from
        now on changes, batches granted stay as they are."""
        data = self.validated(PackageTypeInputSerializer, request.data, partial=True)
        current = selectors.package_type_get(id)
        services.package_type_update(
            actor=self.actor,
            package_type=current,
            data=_type_input(data, current),
            now=timezone.now(),
        )
        return self.respond(PackageTypeSerializer, selectors.package_type_get(id))


# Assignments --------------------------------------------------------------------------


class PackageDiscountSerializer(serializers.Serializer):
    """The discount tier of the current subscription month."""

    # A declared field is popped off the class, so it does not shadow Field.label.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text="Off the type's price."
    )


class PackageUsageSerializer(serializers.Serializer):
    """Granted: what grants and additions by hand gave; used: what consumptions took,
    less what reversals gave back; remaining: the balance."""

    granted = serializers.IntegerField(read_only=True)
    used = serializers.IntegerField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)


class PackageAssignmentSerializer(OutputSerializer):
    """A package type given to a contact: its balance (negative: the overage), its
    next renewal and subscription month, and the discount of that month."""

    contact = NamedRefSerializer()
    client = NamedRefSerializer(source="contact.client")
    package_type = NamedRefSerializer()
    overage = serializers.BooleanField(help_text="The balance is below zero.")
    discount = serializers.SerializerMethodField(help_text="Null: no discount this month.")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "contact",
            "client",
            "package_type",
            "start_on",
            "active",
            "balance",
            "overage",
            "next_renewal_on",
            "subscription_month",
            "discount",
        ]

    @extend_schema_field(PackageDiscountSerializer(allow_null=True))
    def get_discount(self, assignment: Assignment) -> dict[str, Any] | None:
        discount = selectors.current_discount(assignment)
        if discount.tier is None:
            return None
        return PackageDiscountSerializer(discount).data


class PackageAssignmentDetailSerializer(PackageAssignmentSerializer):
    """An assignment with its usage: units granted, used and remaining."""

    usage = serializers.SerializerMethodField()

    class Meta(PackageAssignmentSerializer.Meta):
        fields = [*PackageAssignmentSerializer.Meta.fields, "usage"]

    @extend_schema_field(PackageUsageSerializer)
    def get_usage(self, assignment: Assignment) -> dict[str, Any]:
        return PackageUsageSerializer(selectors.assignment_usage(assignment)).data


class PackageAssignmentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="In the contact's name or email, the client or the package name.",
    )
    status = serializers.ChoiceField(
        choices=list(selectors.STATUSES),
        required=False,
        default="active",
        help_text="`active` (default), `inactive`, `overage` (active, below zero) or `all`.",
    )
    package_type = serializers.PrimaryKeyRelatedField(
        queryset=PackageType.objects.all(), required=False
    )
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False)


class PackageAssignmentCreateSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    package_type = serializers.PrimaryKeyRelatedField(queryset=PackageType.objects.all())
    start_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Today, if empty; a start today or before grants its first units now.",
    )


class PackageBatchSerializer(OutputSerializer):
    """Units granted together, expiring together; `ended_on` is set once they expired or
    a non-cumulative renewal ended them."""

    class Meta:
        model = Batch
        fields = ["id", "units", "remaining", "granted_on", "expires_on", "ended_on"]


class PackageBalanceSerializer(serializers.Serializer):
    """An assignment's balance, its usage and every batch, the one expiring first first."""

    balance = serializers.IntegerField(read_only=True)
    overage = serializers.BooleanField(read_only=True)
    usage = PackageUsageSerializer(read_only=True)
    batches = PackageBatchSerializer(many=True, read_only=True)


class PackageEntrySerializer(OutputSerializer):
    """One movement of units (positive in, negative out), never changed nor deleted."""

    kind = EnumField(Entry.Kind.choices, enum_name="PackageEntryKind")
    ticket: serializers.SlugRelatedField[Ticket] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True, help_text="The ticket's number."
    )
    actor = NamedRefSerializer(allow_null=True, help_text="Null: the system.")

    class Meta:
        model = Entry
        fields = [
            "id",
            "kind",
            "units",
            "balance_after",
            "batch",
            "ticket",
            "reverses",
            "actor",
            "reason",
            "created_at",
        ]


class UnitMovementSerializer(serializers.Serializer):
    """The entries a change wrote and the assignment's balance after it."""

    entries = PackageEntrySerializer(many=True, read_only=True)
    balance = serializers.IntegerField(read_only=True)
    overage = serializers.BooleanField(read_only=True)


class UnitConsumeSerializer(serializers.Serializer):
    units = serializers.IntegerField(required=False, default=1, help_text="From 1; 1 by default.")
    ticket = serializers.SlugRelatedField(
        slug_field="number",
        queryset=Ticket.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The number of the contact's ticket the units are for.",
    )
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class UnitAdjustSerializer(serializers.Serializer):
    units = serializers.IntegerField(help_text="Units to add (5) or remove (-5); not 0.")
    reason = serializers.CharField(max_length=300, allow_blank=True, help_text="Why; required.")


class _AssignmentEntryField(serializers.PrimaryKeyRelatedField):
    """An entry of the assignment in the URL."""

    def get_queryset(self) -> Any:
        return Entry.objects.filter(assignment_id=self.context["view"].kwargs["id"])


class UnitReverseSerializer(serializers.Serializer):
    entry = _AssignmentEntryField(
        queryset=Entry.objects.all(), help_text="The id of a consumption of this assignment."
    )
    reason = serializers.CharField(max_length=300, allow_blank=True, help_text="Why; required.")


def _movement(entries: list[Entry], assignment_id: int) -> dict[str, Any]:
    assignment = selectors.assignment_get(assignment_id)
    return {"entries": entries, "balance": assignment.balance, "overage": assignment.overage}


def _write(name: str, summary: str, request: Any, conflict: OpenApiResponse) -> Any:
    return extend_schema(
        operation_id=f"package_assignments_{name}",
        summary=summary,
        parameters=[ID_PARAMETER],
        request=request,
        responses={201: UnitMovementSerializer, 409: conflict},
    )


@extend_schema_view(
    list=extend_schema(
        operation_id="package_assignments_list",
        summary="List package assignments",
        parameters=[PackageAssignmentFilterSerializer],
        responses=PackageAssignmentSerializer(many=True),
    ),
    create=extend_schema(
        operation_id="package_assignments_create",
        summary="Assign a package to a contact",
        request=PackageAssignmentCreateSerializer,
        responses={201: PackageAssignmentDetailSerializer},
    ),
    retrieve=extend_schema(
        operation_id="package_assignments_retrieve",
        summary="Get a package assignment",
        parameters=[ID_PARAMETER],
        responses=PackageAssignmentDetailSerializer,
    ),
)
class AssignmentViewSet(StaffViewSet):
    module = "support_packages"

    def list(self, request: Request) -> Response:
        """Assignments matching every filter, active ones first, by contact."""
        data = self.validated(PackageAssignmentFilterSerializer, request.query_params)
        found = selectors.assignment_list(
            search=data.get("q", ""),
            status=data["status"],
            package_type=getattr(data.get("package_type"), "pk", None),
            contact=getattr(data.get("contact"), "pk", None),
        )
        return self.respond_page(PackageAssignmentSerializer, found)

    @permission_action("manage")
    def create(self, request: Request) -> Response:
        """Gives the type to the contact from `start_on`; a start today or before grants
        its first units (and any renewal since) now, a later one on the day."""
        data = self.validated(PackageAssignmentCreateSerializer, request.data)
        now = timezone.now()
        assignment = services.assignment_create(
            actor=self.actor,
            contact=data["contact"],
            package_type=data["package_type"],
            start_on=data["start_on"] or timezone.localdate(now),
            now=now,
        )
        return self.respond(
            PackageAssignmentDetailSerializer, selectors.assignment_get(assignment.pk), 201
        )

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(PackageAssignmentDetailSerializer, selectors.assignment_get(id))

    @extend_schema(
        operation_id="package_assignments_deactivate",
        summary="Deactivate a package assignment",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: PackageAssignmentDetailSerializer, 409: INACTIVE},
    )
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def deactivate(self, request: Request, id: int) -> Response:
        """It renews and consumes no more; its history stays."""
        services.assignment_deactivate(
            actor=self.actor, assignment=selectors.assignment_get(id), now=timezone.now()
        )
        return self.respond(PackageAssignmentDetailSerializer, selectors.assignment_get(id))

    @extend_schema(
        operation_id="package_assignments_balance",
        summary="Get a package assignment's balance and batches",
        parameters=[ID_PARAMETER],
        responses=PackageBalanceSerializer,
    )
    @action(detail=True, methods=["get"])
    def balance(self, request: Request, id: int) -> Response:
        """The balance, the usage and every batch of units, the one expiring first first."""
        assignment = selectors.assignment_get(id)
        data = {
            "balance": assignment.balance,
            "overage": assignment.overage,
            "usage": selectors.assignment_usage(assignment),
            "batches": selectors.assignment_batches(assignment),
        }
        return self.respond(PackageBalanceSerializer, data)

    @extend_schema(
        operation_id="package_assignments_ledger",
        summary="List a package assignment's ledger",
        parameters=[ID_PARAMETER],
        responses={200: PackageEntrySerializer(many=True), 400: BAD_PAGE},
    )
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, id: int) -> Response:
        """Every movement of its units, newest first."""
        assignment = selectors.assignment_get(id)
        return self.respond_page(PackageEntrySerializer, selectors.assignment_ledger(assignment))

    @_write("consume", "Consume units", UnitConsumeSerializer, CONSUME_CONFLICT)
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def consume(self, request: Request, id: int) -> Response:
        """Uses `units` (on the contact's `ticket`): an entry per batch drawn from, the
        one expiring first first; under the allow policy, past zero into the overage."""
        data = self.validated(UnitConsumeSerializer, request.data)
        entries = services.unit_consume(
            actor=self.actor, assignment=selectors.assignment_get(id), now=timezone.now(), **data
        )
        return self.respond(UnitMovementSerializer, _movement(entries, id), 201)

    @_write("adjust", "Add or remove units by hand", UnitAdjustSerializer, INACTIVE)
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def adjust(self, request: Request, id: int) -> Response:
        """Adds units (a batch valid for the type's validity from today, an overage paid
        off first) or removes some, with a reason."""
        data = self.validated(UnitAdjustSerializer, request.data)
        entries = services.unit_adjust(
            actor=self.actor, assignment=selectors.assignment_get(id), now=timezone.now(), **data
        )
        return self.respond(UnitMovementSerializer, _movement(entries, id), 201)

    @_write("reverse", "Reverse a consumption", UnitReverseSerializer, REVERSE_CONFLICT)
    @action(detail=True, methods=["post"])
    @permission_action("manage")
    def reverse(self, request: Request, id: int) -> Response:
        """Gives back the units of a consumption with a new entry: to its batch while it
        is valid, or to the overage they came from."""
        assignment = selectors.assignment_get(id)
        data = self.validated(UnitReverseSerializer, request.data)
        reversal = services.entry_reverse(
            actor=self.actor, entry=data["entry"], reason=data["reason"], now=timezone.now()
        )
        return self.respond(UnitMovementSerializer, _movement([reversal], assignment.pk), 201)
