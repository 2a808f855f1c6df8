"""Turn an operation function into a method of a sync or an async resource.

``get = sync_call(tickets_get)`` on a resource class gives ``client.tickets.get(42)``
with ``tickets_get``'s signature and docstring, sending the ``Call`` it builds
through the resource's client. The async versions return coroutines (or an
``AsyncPager`` for lists). Written once here, so no endpoint is written twice.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

from snagdesk._calls import Call, ListCall
from snagdesk.pagination import AsyncPager, SyncPager

if TYPE_CHECKING:
    from typing import Self

    from snagdesk.client import AsyncSnagdesk, Snagdesk

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")
B = TypeVar("B")


class SyncResource:
    """A group of endpoints (``client.tickets``) of a ``Snagdesk`` client."""

    def __init__(self, client: Snagdesk) -> None:
        self._client = client


class AsyncResource:
    """A group of endpoints (``client.tickets``) of an ``AsyncSnagdesk`` client."""

    def __init__(self, client: AsyncSnagdesk) -> None:
        self._client = client


class _Method(Generic[P, B, R]):
    """A descriptor: on an instance, the bound method; on the class, itself (so the
    docs script can read ``build``)."""

    kind = ""

    def __init__(self, build: Callable[P, B]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: object, owner: type) -> Callable[P, R]: ...
    def __get__(self, obj: object | None, owner: type) -> Self | Callable[P, R]:
        if obj is None:
            return self
        method = self._bind(obj)
        functools.update_wrapper(method, self.build)
        method.__name__ = method.__qualname__ = self.name
        return method

    def _bind(self, obj: Any) -> Callable[P, R]:
        raise NotImplementedError


class sync_call(_Method[P, Call[T], T]):
    kind = "call"

    def _bind(self, obj: SyncResource) -> Callable[P, T]:
        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return obj._client._request(self.build(*args, **kwargs))

        return method


class sync_list(_Method[P, ListCall[T], SyncPager[T]]):
    kind = "list"

    def _bind(self, obj: SyncResource) -> Callable[P, SyncPager[T]]:
        def method(*args: P.args, **kwargs: P.kwargs) -> SyncPager[T]:
            return obj._client._paginate(self.build(*args, **kwargs))

        return method


class async_call(_Method[P, Call[T], Awaitable[T]]):
    kind = "call"

    def _bind(self, obj: AsyncResource) -> Callable[P, Awaitable[T]]:
        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await obj._client._request(self.build(*args, **kwargs))

        return method


class async_list(_Method[P, ListCall[T], AsyncPager[T]]):
    kind = "list"

    def _bind(self, obj: AsyncResource) -> Callable[P, AsyncPager[T]]:
        def method(*args: P.args, **kwargs: P.kwargs) -> AsyncPager[T]:
            return obj._client._paginate(self.build(*args, **kwargs))

        return method
