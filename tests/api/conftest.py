from __future__ import annotations

import pytest

from snagdesk_server.accounts.models import User
from tests import factories


@pytest.fixture
def restricted_staff(db: None) -> User:
    """A staff member whose role grants no module permission."""
    return factories.StaffFactory(role__permissions=[])
