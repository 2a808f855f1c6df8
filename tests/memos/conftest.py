from __future__ import annotations

import pytest

from snagdesk_server.accounts.models import User
from tests import factories


@pytest.fixture
def staff(db: None) -> User:
    """A staff member holding every permission, memos.manage included."""
    return factories.StaffFactory(full_name="Sam Staff", email="sam@agency.example")


@pytest.fixture
def colleague(db: None) -> User:
    return factories.StaffFactory(full_name="Ada Lovelace", email="ada@agency.example")
