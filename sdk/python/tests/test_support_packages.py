"""Support packages against the live server: create and update package types, assign
them to contacts, consume units (on a ticket), adjust them by hand, reverse a
consumption, read the balance and the ledger, deactivate; amounts come back as
``Decimal``, dates as ``date``; bad input is refused naming its field, and a staff
member without the permission is refused."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import LiveServer

from snagdesk import (
    AsyncSnagdesk,
    ConflictError,
    Contact,
    PackageAssignment,
    PackageBalance,
    PackageEntry,
    PackageTier,
    PackageType,
    PermissionDeniedError,
    Snagdesk,
    UnitMovement,
    ValidationError,
)


def _word() -> str:
    return f"p{uuid.uuid4().hex[:10]}"


def _type(desk: Snagdesk, **fields: object) -> PackageType:
    values: dict[str, object] = {
        "name": f"Standard {_word()}",
        "unit_plural": "tickets",
        "units": 5,
        "validity_months": 3,
        "renewal_months": 1,
    }
    values.update(fields)
    return desk.package_types.create(**values)  # type: ignore[arg-type]


def _contact(desk: Snagdesk) -> Contact:
    word = _word()
    client = desk.clients.create(name=f"Movies {word}")
    return desk.contacts.create(
        client=client, first_name="Jane", last_name=word, email=f"{word}@movies.example"
    )


# Package types ------------------------------------------------------------------------


def test_a_package_type_is_created_typed_and_updated(desk: Snagdesk) -> None:
    name = f"Premium {_word()}"

    created = desk.package_types.create(
        name=name,
        unit_plural="interventions",
        units=10,
        validity_months=6,
        renewal_months=3,
        price=Decimal("120.00"),
        tax_rate="20.00",
        overage="allow",
        tiers=[(4, "10"), (7, Decimal("15.50"))],
    )
    updated = desk.package_types.update(created.id, units=12, tiers=[])
    listed = [t.id for t in desk.package_types.list(page_size=100)]

    assert isinstance(created, PackageType)
    assert (created.name, created.unit_singular, created.units) == (name, "intervention", 10)
    assert created.price == Decimal("120.00")
    assert isinstance(created.price, Decimal)
    assert (created.overage, created.discount_kind, created.after_last_tier) == (
        "allow",
        "percent",
        "keep",
    )
    assert created.tiers == [
        PackageTier(month=4, value=Decimal("10.00")),
        PackageTier(month=7, value=Decimal("15.50")),
    ]
    assert (updated.units, updated.tiers, updated.name, updated.renewal_months) == (
        12,
        [],
        name,
        3,
    )
    assert desk.package_types.get(created.id) == updated
    assert created.id in listed


def test_a_bad_package_type_names_every_wrong_field(desk: Snagdesk) -> None:
    name = f"Bad {_word()}"

    with pytest.raises(ValidationError) as refused:
        _type(desk, name=name, units=0, renewal_months=9, price="1.999")

    assert set(refused.value.fields) == {"units", "renewal_months", "price"}
    assert name not in [t.name for t in desk.package_types.list(page_size=100)]


# Assignments --------------------------------------------------------------------------


def test_assign_consume_adjust_reverse_and_read_the_ledger(desk: Snagdesk) -> None:
    package_type = _type(desk)
    contact = _contact(desk)
    ticket = desk.tickets.create(subject="Mail is down", message="Help", contact=contact)

    assignment = desk.package_assignments.create(contact=contact, package_type=package_type)
    consumed = desk.package_assignments.consume(
        assignment.id, units=2, ticket=ticket, reason="Mail fixed"
    )
    added = desk.package_assignments.adjust(assignment.id, 3, "Goodwill")
    [consumption] = consumed.entries
    reversed_ = desk.package_assignments.reverse(assignment.id, consumption, "Wrong ticket")
    balance = desk.package_assignments.balance(assignment.id)
    ledger = list(desk.package_assignments.ledger(assignment.id, page_size=2))
    read = desk.package_assignments.get(assignment.id)

    assert isinstance(assignment, PackageAssignment)
    assert (assignment.contact.id, assignment.package_type.id) == (contact.id, package_type.id)
    assert assignment.client.id == contact.client.id
    assert isinstance(assignment.start_on, date)
    assert (assignment.balance, assignment.overage, assignment.discount) == (5, False, None)
    assert assignment.usage is not None
    assert (assignment.usage.granted, assignment.usage.used) == (5, 0)
    assert isinstance(consumed, UnitMovement)
    assert (consumed.balance, consumption.kind, consumption.units) == (3, "consume", -2)
    assert (consumption.ticket, consumption.reason) == (ticket.number, "Mail fixed")
    assert isinstance(consumption.created_at, datetime)
    assert added.balance == 6
    assert (reversed_.balance, reversed_.entries[0].reverses) == (8, consumption.id)
    assert isinstance(balance, PackageBalance)
    assert (balance.balance, balance.usage.granted, balance.usage.used) == (8, 8, 0)
    assert sorted(b.units for b in balance.batches) == [3, 5]
    assert all(isinstance(e, PackageEntry) for e in ledger)
    assert [e.kind for e in ledger] == ["reverse", "adjust", "consume", "grant"]
    assert [e.balance_after for e in ledger] == [8, 6, 3, 5]
    assert read.balance == 8
    with pytest.raises(ConflictError) as twice:
        desk.package_assignments.reverse(assignment.id, consumption.id, "Again")
    assert twice.value.code == "already_reversed"


def test_consuming_too_much_an_empty_reason_and_deactivating(desk: Snagdesk) -> None:
    package_type = _type(desk)
    contact = _contact(desk)
    assignment = desk.package_assignments.create(
        contact=contact, package_type=package_type, start_on=date.today()
    )

    with pytest.raises(ConflictError) as too_much:
        desk.package_assignments.consume(assignment.id, units=6)
    with pytest.raises(ValidationError) as no_reason:
        desk.package_assignments.adjust(assignment.id, 2, " ")
    with pytest.raises(ValidationError) as again:
        desk.package_assignments.create(contact=contact, package_type=package_type)
    deactivated = desk.package_assignments.deactivate(assignment.id)
    with pytest.raises(ConflictError) as inactive:
        desk.package_assignments.consume(assignment.id)

    assert too_much.value.code == "insufficient_units"
    assert list(no_reason.value.fields) == ["reason"]
    assert list(again.value.fields) == ["package_type"]
    assert deactivated.active is False
    assert inactive.value.code == "inactive"
    assert desk.package_assignments.balance(assignment.id).balance == 5


def test_the_list_filters_by_status_type_contact_and_search(desk: Snagdesk) -> None:
    word = _word()
    standard = _type(desk, name=f"Standard {word}")
    allowing = _type(desk, name=f"Allow {word}", overage="allow")
    jane, bob = _contact(desk), _contact(desk)
    janes = desk.package_assignments.create(contact=jane, package_type=standard)
    bobs = desk.package_assignments.create(contact=bob, package_type=allowing)
    desk.package_assignments.consume(bobs.id, units=6)

    def ids(**filters: object) -> list[int]:
        return [a.id for a in desk.package_assignments.list(page_size=1, **filters)]  # type: ignore[arg-type]

    assert sorted(ids(q=word)) == sorted([janes.id, bobs.id])
    assert ids(package_type=allowing) == [bobs.id]
    assert ids(contact=jane) == [janes.id]
    assert ids(q=word, status="overage") == [bobs.id]
    assert ids(q=word, status="inactive") == []
    listed = next(iter(desk.package_assignments.list(contact=bob)))
    assert (listed.balance, listed.overage, listed.usage) == (-1, True, None)


def test_a_staff_member_without_the_permission_is_refused(live_server: LiveServer) -> None:
    with Snagdesk(live_server.url, live_server.reader_token) as reader:
        with pytest.raises(PermissionDeniedError) as listing:
            reader.package_types.list().page(1)
        with pytest.raises(PermissionDeniedError):
            reader.package_assignments.list().page(1)
        with pytest.raises(PermissionDeniedError):
            reader.package_assignments.consume(1)

    assert listing.value.code == "permission_denied"


@pytest.mark.anyio
async def test_async_assign_consume_and_read_the_ledger(live_server: LiveServer) -> None:
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        word = _word()
        package_type = await desk.package_types.create(
            name=f"Async {word}", unit_plural="calls", units=4, validity_months=2
        )
        client = await desk.clients.create(name=f"Async {word}")
        contact = await desk.contacts.create(
            client=client, first_name="Al", email=f"{word}@async.example"
        )
        assignment = await desk.package_assignments.create(
            contact=contact, package_type=package_type
        )
        consumed = await desk.package_assignments.consume(assignment.id)
        kinds = [e.kind async for e in desk.package_assignments.ledger(assignment.id)]
        listed = [a.id async for a in desk.package_assignments.list(contact=contact)]
        read = await desk.package_types.get(package_type.id)

    assert consumed.balance == 3
    assert kinds == ["consume", "grant"]
    assert listed == [assignment.id]
    assert read.unit_singular == "call"
