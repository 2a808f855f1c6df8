"""Support packages under concurrent requests, on PostgreSQL (SQLite serialises
writers): consumptions racing for the last unit, the stock job run twice at once."""

from __future__ import annotations

from datetime import date

import pytest

from snagdesk_server.support_packages.errors import InsufficientUnits
from snagdesk_server.support_packages.models import Entry, Grant
from snagdesk_server.support_packages.services import assignment_create, unit_consume
from snagdesk_server.support_packages.stock import stock_update
from tests import factories
from tests.secure_messages.test_concurrency import race
from tests.support_packages import at
from tests.support_packages.conftest import make_type

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = at(date(2025, 1, 15))


@pytest.mark.parametrize("attempt", range(3))
def test_twenty_consumptions_of_the_last_unit_succeed_once(attempt: int) -> None:
    contact = factories.ContactFactory()
    assignment = assignment_create(
        actor=None,
        contact=contact,
        package_type=make_type(units=1),
        start_on=NOW.date(),
        now=NOW,
    )

    results, errors = race(
        [lambda: unit_consume(actor=None, assignment=assignment, units=1, now=NOW)] * 20
    )

    assert len(results) == 1
    assert len(errors) == 19
    assert {type(error) for error in errors} == {InsufficientUnits}
    assert {error.code for error in errors} == {"insufficient_units"}  # type: ignore[attr-defined]
    assignment.refresh_from_db()
    assert assignment.balance == 0
    assert Entry.objects.filter(kind=Entry.Kind.CONSUME).count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_stock_runs_at_once_grant_once(attempt: int) -> None:
    package_type = make_type()
    assignments = [
        assignment_create(
            actor=None,
            contact=factories.ContactFactory(),
            package_type=package_type,
            start_on=NOW.date(),
            now=NOW,
        )
        for _ in range(8)
    ]
    later = at(date(2025, 3, 15))

    results, errors = race([lambda: stock_update(now=later)] * 2)

    assert errors == []
    assert sum(result.get("granted", 0) for result in results) == 2 * len(assignments)  # type: ignore[attr-defined]
    assert Grant.objects.count() == 3 * len(assignments)
    for assignment in assignments:
        assignment.refresh_from_db()
        assert assignment.balance == 15
