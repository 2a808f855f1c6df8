"""Package types, assignments, consumption, adjustments and reversals: the rules and
the bad input the issue names, each refused with a field-level error and nothing saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.support_packages.errors import InsufficientUnits
from snagdesk_server.support_packages.models import (
    Assignment,
    DiscountTier,
    Entry,
    PackageType,
)
from snagdesk_server.support_packages.selectors import (
    Usage,
    assignment_get,
    assignment_usage,
    current_discount,
)
from snagdesk_server.support_packages.services import (
    TypeInput,
    assignment_create,
    discount_for,
    entry_reverse,
    package_type_update,
    unit_adjust,
    unit_consume,
    unit_singular_suggest,
)
from snagdesk_server.support_packages.stock import stock_update
from snagdesk_server.support_packages.templatetags.packages import units
from tests import factories
from tests.support_packages import at
from tests.support_packages.conftest import make_type

pytestmark = pytest.mark.django_db

NOW = at(date(2025, 1, 15))


def _assign(contact: Contact, package_type: PackageType) -> Assignment:
    return assignment_create(
        actor=None, contact=contact, package_type=package_type, start_on=NOW.date(), now=NOW
    )


# Package types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"units": 0}, "units"),
        ({"units": -2}, "units"),
        ({"validity_months": 0}, "validity_months"),
        ({"renewal_months": -1}, "renewal_months"),
        ({"renewal_months": 4}, "renewal_months"),
        ({"name": "  "}, "name"),
        ({"unit_plural": ""}, "unit_plural"),
        ({"price": "12.345"}, "price"),
        ({"price": "-1"}, "price"),
        ({"overage": "maybe"}, "overage"),
        ({"tiers": [(4, 10), (1, 5)]}, "tiers"),
        ({"tiers": [(1, 5), (1, 10)]}, "tiers"),
        ({"tiers": [(1, 101)]}, "tiers"),
        ({"tiers": [(1, -5)]}, "tiers"),
        ({"discount_kind": "fixed", "price": "50", "tiers": [(1, "50.01")]}, "tiers"),
    ],
)
def test_a_bad_package_type_is_refused_by_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_type(**fields)

    assert field in refused.value.field_errors
    assert not PackageType.objects.exists()
    assert not DiscountTier.objects.exists()


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as refused:
        make_type(units=0, validity_months=0, price="x")

    assert {"units", "validity_months", "price"} <= refused.value.field_errors.keys()


def test_a_duplicate_name_is_refused(standard: PackageType) -> None:
    with pytest.raises(ValidationError) as refused:
        make_type(name="standard")
    assert "name" in refused.value.field_errors


def test_the_singular_is_suggested_from_the_plural_and_can_be_corrected() -> None:
    assert unit_singular_suggest("tickets") == "ticket"
    assert unit_singular_suggest("Q/A") == "Q/A"
    assert unit_singular_suggest("process") == "process"
    assert make_type().unit_singular == "ticket"
    assert make_type(name="Calls", unit_plural="Anrufe", unit_singular="Anruf").unit_singular == (
        "Anruf"
    )


def test_unit_labels_follow_the_languages_plural_rules(standard: PackageType) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert [units(n, standard) for n in (0, 1, 2)] == ["0 tickets", "1 ticket", "2 tickets"]
    with translation.override("fr"):
        assert [units(n, standard) for n in (0, 1, 2)] == ["0 ticket", "1 ticket", "2 tickets"]


def test_an_update_keeps_what_was_granted(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard)
    data = TypeInput(name="Standard", unit_plural="tickets", units=8, validity_months=3)

    package_type_update(actor=None, package_type=standard, data=data, now=NOW)
    stock_update(now=at(date(2025, 2, 15)))

    grants = Entry.objects.filter(assignment=assignment, kind="grant")
    assert list(grants.values_list("units", flat=True)) == [5, 8]


# Discounts ----------------------------------------------------------------------------


def _discount_type(after: str) -> PackageType:
    return make_type(price="100.00", tiers=[(1, 5), (4, 10)], after_last_tier=after)


@pytest.mark.parametrize(
    ("month", "keep", "reset"),
    [(1, "5.00", "5.00"), (3, "5.00", "5.00"), (4, "10.00", "10.00"), (5, "10.00", "0.00")],
)
def test_tiers_apply_from_their_month(month: int, keep: str, reset: str) -> None:
    kept = _discount_type("keep")
    back = make_type(name="B", price="100.00", tiers=[(1, 5), (4, 10)], after_last_tier="reset")
    tiers_kept = list(kept.tiers.all())
    tiers_back = list(back.tiers.all())

    assert discount_for(kept, tiers_kept, month).amount == Decimal(keep)
    assert discount_for(back, tiers_back, month).amount == Decimal(reset)


# Assignments --------------------------------------------------------------------------


def test_a_contact_holds_a_type_once_at_a_time(contact: Contact, standard: PackageType) -> None:
    _assign(contact, standard)
    with pytest.raises(ValidationError) as refused:
        _assign(contact, standard)
    assert "package_type" in refused.value.field_errors
    assert Assignment.objects.count() == 1


# Consumption --------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, -1, "two"])
def test_consuming_nothing_or_less_is_refused(
    contact: Contact, standard: PackageType, count: object
) -> None:
    assignment = _assign(contact, standard)
    with pytest.raises(ValidationError) as refused:
        unit_consume(actor=None, assignment=assignment, units=count, now=NOW)
    assert "units" in refused.value.field_errors
    assert Entry.objects.filter(kind="consume").count() == 0


def test_the_block_policy_refuses_more_than_remains(
    contact: Contact, standard: PackageType
) -> None:
    assignment = _assign(contact, standard)
    with pytest.raises(InsufficientUnits) as refused:
        unit_consume(actor=None, assignment=assignment, units=6, now=NOW)

    assert refused.value.code == "insufficient_units"
    assignment.refresh_from_db()
    assert assignment.balance == 5
    assert Entry.objects.filter(kind="consume").count() == 0


def test_the_allow_policy_flags_the_overage_and_the_next_grant_pays_it(
    contact: Contact,
) -> None:
    assignment = _assign(contact, make_type(overage="allow"))

    unit_consume(actor=None, assignment=assignment, units=7, now=NOW)
    assignment.refresh_from_db()
    assert (assignment.balance, assignment.overage) == (-2, True)

    stock_update(now=at(date(2025, 2, 15)))
    assignment.refresh_from_db()
    assert (assignment.balance, assignment.overage) == (3, False)
    assert sorted(assignment.batches.values_list("remaining", flat=True)) == [0, 3]


def test_a_ticket_of_another_contact_is_refused(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard)
    ticket = factories.TicketFactory(contact=factories.ContactFactory(client=contact.client))

    with pytest.raises(ValidationError) as refused:
        unit_consume(actor=None, assignment=assignment, ticket=ticket, now=NOW)
    assert "ticket" in refused.value.field_errors


def test_a_reversal_gives_the_units_back_once(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard)
    ticket = factories.TicketFactory(contact=contact, client=contact.client)
    (consumed,) = unit_consume(actor=None, assignment=assignment, units=2, ticket=ticket, now=NOW)

    reversal = entry_reverse(actor=None, entry=consumed, reason="Not covered", now=NOW)

    assert (reversal.kind, reversal.units, reversal.balance_after) == ("reverse", 2, 5)
    assert reversal.ticket == ticket
    with pytest.raises(Conflict):
        entry_reverse(actor=None, entry=consumed, reason="Again", now=NOW)
    with pytest.raises(ValidationError) as refused:
        entry_reverse(actor=None, entry=consumed, reason=" ", now=NOW)
    assert "reason" in refused.value.field_errors


# Adjustments --------------------------------------------------------------------------


def test_an_adjustment_needs_a_reason_and_a_number(contact: Contact, standard: PackageType) -> None:
    assignment = _assign(contact, standard)
    with pytest.raises(ValidationError) as refused:
        unit_adjust(actor=None, assignment=assignment, units=0, reason="", now=NOW)

    assert refused.value.field_errors.keys() == {"units", "reason"}
    assert Entry.objects.filter(kind="adjust").count() == 0


def test_adjustments_add_a_batch_and_remove_what_remains(
    contact: Contact, standard: PackageType
) -> None:
    assignment = _assign(contact, standard)

    unit_adjust(actor=None, assignment=assignment, units=3, reason="Goodwill", now=NOW)
    unit_adjust(actor=None, assignment=assignment, units=-6, reason="Billing error", now=NOW)
    with pytest.raises(ValidationError):
        unit_adjust(actor=None, assignment=assignment, units=-3, reason="Too many", now=NOW)

    assignment.refresh_from_db()
    assert assignment.balance == 2
    ledger = Entry.objects.filter(assignment=assignment).values_list("kind", "units", "reason")
    assert list(ledger)[1] == ("adjust", 3, "Goodwill")


def test_the_usage_and_the_current_discount_are_read_from_the_ledger(contact: Contact) -> None:
    assignment = _assign(contact, make_type(price="0.00", tiers=[(1, 5)]))
    (consumed,) = unit_consume(actor=None, assignment=assignment, units=3, now=NOW)
    entry_reverse(actor=None, entry=consumed, reason="Mistake", now=NOW)
    unit_consume(actor=None, assignment=assignment, units=1, now=NOW)

    found = assignment_get(assignment.pk)
    assert assignment_usage(found) == Usage(granted=5, used=1, remaining=4)
    assert current_discount(found).tier is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"validity_months": 70803950685062}, "validity_months"), ({"units": 10**12}, "units")],
)
def test_numbers_beyond_any_package_are_refused(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_type(**fields)
    assert field in refused.value.field_errors
