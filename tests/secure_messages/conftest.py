from __future__ import annotations

import pytest

from snagdesk_server.accounts.models import User
from tests import factories


@pytest.fixture
def staff(db: None) -> User:
    """A staff member holding every permission, secure_messages.manage included."""
    return factories.StaffFactory(full_name="Sam Staff")
