from __future__ import annotations

from datetime import date

import pytest

from snagdesk_server.accounts.models import Contact
from snagdesk_server.support_packages.models import PackageType
from snagdesk_server.support_packages.services import TypeInput, package_type_create
from tests import factories
from tests.support_packages import at


@pytest.fixture
def contact(db: None) -> Contact:
    client = factories.ClientFactory(name="Movies Ltd")
    return factories.ContactFactory(client=client, email="jane@movies.example", is_primary=True)


def make_type(**fields: object) -> PackageType:
    """The issue's worked example unless told otherwise: 5 units, valid 3 months,
    renewed monthly, cumulative, free."""
    values: dict[str, object] = {
        "name": "Standard",
        "unit_plural": "tickets",
        "units": 5,
        "validity_months": 3,
        "renewal_months": 1,
    }
    values.update(fields)
    return package_type_create(actor=None, data=TypeInput(**values), now=at(date(2025, 1, 1)))


@pytest.fixture
def standard(db: None) -> PackageType:
    return make_type()
