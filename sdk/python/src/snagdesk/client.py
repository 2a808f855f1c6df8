"""``Snagdesk`` (sync, on ``httpx.Client``) and ``AsyncSnagdesk`` (on
``httpx.AsyncClient``): the entry points of the SDK."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Self, TypeVar

import anyio
import httpx

from snagdesk._calls import Call, ListCall, Steps, Work
from snagdesk._http import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    BaseClient,
    Prepared,
    check,
    page_of,
    parse,
    transport_error,
)
from snagdesk.errors import SnagdeskError
from snagdesk.models import Page
from snagdesk.pagination import AsyncPager, SyncPager
from snagdesk.resources import AsyncResources, Resources

T = TypeVar("T")

__all__ = ["AsyncSnagdesk", "Snagdesk"]


class Snagdesk(Resources, BaseClient):
    """A client of a desk's staff REST API.

    ``base_url`` is the desk's address (``https://desk.example``; ``/api/v1`` is
    added) and ``token`` a personal API token (``sdk_…``); either defaults to the
    ``SNAGDESK_URL`` / ``SNAGDESK_TOKEN`` environment variable. ``timeout`` is in
    seconds (or an ``httpx.Timeout``). Failed requests that are safe to repeat are
    retried up to ``max_retries`` times with exponential backoff (``backoff_base``,
    ``backoff_max`` seconds) and full jitter, honouring ``Retry-After``. Pass
    ``http_client`` to bring your own ``httpx.Client`` (proxies, certificates); it is
    then yours to close.

    Use it as a context manager, or call ``close()``::

        with Snagdesk() as desk:
            for ticket in desk.tickets.list(status="open"):
                print(ticket.number, ticket.subject)
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            token=token,
            timeout=timeout,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        self._attach_resources(self)

    def close(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(self, call: Call[T]) -> T:
        prepared = self._prepare(call)
        return parse(call, self._send(prepared))

    def _paginate(self, listing: ListCall[T]) -> SyncPager[T]:
        def fetch(number: int) -> Page[T]:
            return page_of(listing, number, self._request(listing.page(number)))

        return SyncPager(fetch)

    def _run(self, steps: Steps[T]) -> T:
        """A helper's result: each ``Call`` it yields sent, each ``Work`` done."""
        result: Any = None
        try:
            while True:
                try:
                    step = steps.send(result)
                except StopIteration as done:
                    value: T = done.value
                    return value
                result = step.run() if isinstance(step, Work) else self._request(step)
        finally:
            steps.close()

    def _send(self, prepared: Prepared) -> httpx.Response:
        attempt = 0
        while True:
            error: SnagdeskError | None
            try:
                response = self._http.request(prepared.method, prepared.url, **prepared.kwargs)
            except httpx.TransportError as exc:
                error = transport_error(exc, prepared)
                cause: BaseException | None = exc
            else:
                error, cause = check(response), None
                if error is None:
                    return response
            wait = self._wait_before_retry(attempt, error, prepared)
            if wait is None:
                raise error from cause
            time.sleep(wait)
            attempt += 1


class AsyncSnagdesk(AsyncResources, BaseClient):
    """The asynchronous client: the same resources and arguments as ``Snagdesk``,
    whose calls are awaited and whose lists are iterated with ``async for``::

        async with AsyncSnagdesk() as desk:
            ticket = await desk.tickets.get(42)
            async for reply in desk.tickets.list(status="open"):
                ...

    Runs under asyncio or trio (it waits between retries with anyio).
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            token=token,
            timeout=timeout,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self._attach_resources(self)

    async def close(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _request(self, call: Call[T]) -> T:
        prepared = self._prepare(call)
        return parse(call, await self._send(prepared))

    def _paginate(self, listing: ListCall[T]) -> AsyncPager[T]:
        async def fetch(number: int) -> Page[T]:
            data: dict[str, Any] = await self._request(listing.page(number))
            return page_of(listing, number, data)

        return AsyncPager(fetch)

    async def _run(self, steps: Steps[T]) -> T:
        """A helper's result: each ``Call`` it yields sent, each ``Work`` done in a worker
        thread (the event loop goes on meanwhile)."""
        result: Any = None
        try:
            while True:
                try:
                    step = steps.send(result)
                except StopIteration as done:
                    value: T = done.value
                    return value
                if isinstance(step, Work):
                    result = await anyio.to_thread.run_sync(step.run)
                else:
                    result = await self._request(step)
        finally:
            steps.close()

    async def _send(self, prepared: Prepared) -> httpx.Response:
        attempt = 0
        while True:
            error: SnagdeskError | None
            try:
                response = await self._http.request(
                    prepared.method, prepared.url, **prepared.kwargs
                )
            except httpx.TransportError as exc:
                error = transport_error(exc, prepared)
                cause: BaseException | None = exc
            else:
                error, cause = check(response), None
                if error is None:
                    return response
            wait = self._wait_before_retry(attempt, error, prepared)
            if wait is None:
                raise error from cause
            await anyio.sleep(wait)
            attempt += 1
