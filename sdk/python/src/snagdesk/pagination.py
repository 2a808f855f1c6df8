"""Lists that follow the pages for you.

``client.tickets.list(...)`` returns a pager without sending anything. Iterating it
fetches page after page until the last (``next`` is null); ``page(n)`` fetches one page
and gives its ``count``, links and results.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

from snagdesk.models import Page

T = TypeVar("T")

__all__ = ["AsyncPager", "SyncPager"]


class SyncPager(Generic[T]):
    """Iterate it for every item over all the pages; ``page(n)`` for one page."""

    def __init__(self, fetch: Callable[[int], Page[T]]) -> None:
        self._fetch = fetch

    def page(self, number: int = 1) -> Page[T]:
        """Page ``number`` (from 1); a page past the last raises ``NotFoundError``."""
        return self._fetch(number)

    def pages(self) -> Iterator[Page[T]]:
        """Every page in turn, from the first."""
        number = 1
        while True:
            page = self._fetch(number)
            yield page
            if page.next is None or not page.results:
                return
            number += 1

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.results

    def first(self) -> T | None:
        """The first item, or ``None`` when the list is empty (fetches one page)."""
        return next(iter(self.page(1).results), None)


class AsyncPager(Generic[T]):
    """``async for`` it for every item over all the pages; ``await page(n)`` for one."""

    def __init__(self, fetch: Callable[[int], Awaitable[Page[T]]]) -> None:
        self._fetch = fetch

    async def page(self, number: int = 1) -> Page[T]:
        """Page ``number`` (from 1); a page past the last raises ``NotFoundError``."""
        return await self._fetch(number)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Every page in turn, from the first."""
        number = 1
        while True:
            page = await self._fetch(number)
            yield page
            if page.next is None or not page.results:
                return
            number += 1

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.results:
                yield item

    async def first(self) -> T | None:
        """The first item, or ``None`` when the list is empty (fetches one page)."""
        return next(iter((await self.page(1)).results), None)
