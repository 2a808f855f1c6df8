from __future__ import annotations

from typing import Any

from snagdesk_server.accounts.models import Client


def seed(demo: Any) -> None:
    Client.objects.create(name="Sample module's demo client")
