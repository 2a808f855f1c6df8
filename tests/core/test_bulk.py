"""``core.bulk.rows_update``: each row gets its own values, NULLs included, on both
databases, in one statement per chunk."""

from __future__ import annotations

from datetime import date

import pytest

from snagdesk_server.core.bulk import CHUNK, rows_update
from snagdesk_server.support_packages.models import Assignment
from tests import factories
from tests.support_packages import at
from tests.support_packages.conftest import make_type

pytestmark = pytest.mark.django_db


def test_every_row_gets_its_own_values(django_assert_num_queries) -> None:
    package_type = make_type()
    rows = Assignment.objects.bulk_create(
        Assignment(
            contact=factories.ContactFactory(),
            package_type=package_type,
            start_on=date(2025, 1, 1),
            month_advances_on=date(2025, 2, 1),
            next_renewal_on=date(2025, 1, 1),
            created_at=at(date(2025, 1, 1)),
        )
        for _ in range(CHUNK + 2)
    )
    for index, row in enumerate(rows):
        row.balance = index - 3
        row.next_renewal_on = None if index % 2 else date(2025, 3, index % 28 + 1)
        row.low_balance_alerted = index % 3 == 0

    with django_assert_num_queries(2):
        rows_update(rows, ["balance", "next_renewal_on", "low_balance_alerted"])

    saved = {a.pk: a for a in Assignment.objects.all()}
    for index, row in enumerate(rows):
        found = saved[row.pk]
        assert (found.balance, found.next_renewal_on, found.low_balance_alerted) == (
            index - 3,
            None if index % 2 else date(2025, 3, index % 28 + 1),
            index % 3 == 0,
        )
        assert found.start_on == date(2025, 1, 1)
