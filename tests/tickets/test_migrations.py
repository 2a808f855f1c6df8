"""The data migration that moves the ticket policy out of the platform settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from snagdesk_server.accounts.models import Role
from snagdesk_server.core.models import ModuleSettings

# The migration only moves data, so today's models read the tables at either end.
BEFORE = [("tickets", "0004_browserinfo")]
AFTER = [("tickets", "0005_ticket_settings_from_platform")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def before(transactional_db: None) -> Iterator[None]:
    _migrate(BEFORE)
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _values(module: str) -> dict[str, Any] | None:
    row = ModuleSettings.objects.filter(module=module).first()
    return row.values if row else None


@pytest.mark.usefixtures("before")
def test_the_ticket_policy_moves_to_the_tickets_settings_and_back() -> None:
    ModuleSettings.objects.create(
        module="platform",
        values={"company_name": "Acme", "default_priority": "high", "autoclose_after_days": 3},
    )

    _migrate(AFTER)

    assert _values("platform") == {"company_name": "Acme"}
    assert _values("tickets") == {"default_priority": "high", "autoclose_after_days": 3}

    _migrate(BEFORE)

    assert _values("platform") == {
        "company_name": "Acme",
        "default_priority": "high",
        "autoclose_after_days": 3,
    }
    assert _values("tickets") == {}


@pytest.mark.usefixtures("before")
def test_roles_that_edited_the_settings_may_configure_tickets() -> None:
    Role.objects.create(name="Manager", permissions=["settings.view", "settings.edit"])
    Role.objects.create(name="Agent", permissions=["tickets.edit"])

    _migrate(AFTER)

    roles = dict(Role.objects.values_list("name", "permissions"))
    assert roles == {
        "Manager": ["settings.view", "settings.edit", "tickets.configure"],
        "Agent": ["tickets.edit"],
    }
    _migrate(BEFORE)
    assert Role.objects.get(name="Manager").permissions == ["settings.view", "settings.edit"]
