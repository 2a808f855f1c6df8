"""The bases of the generated resource classes (``resources``): a resource sends the
``Call`` an operation builds through its client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from snagdesk.client import AsyncSnagdesk, Snagdesk


class SyncResource:
    """A group of endpoints (``client.tickets``) of a ``Snagdesk`` client."""

    def __init__(self, client: Snagdesk) -> None:
        self._client = client


class AsyncResource:
    """A group of endpoints (``client.tickets``) of an ``AsyncSnagdesk`` client."""

    def __init__(self, client: AsyncSnagdesk) -> None:
        self._client = client
