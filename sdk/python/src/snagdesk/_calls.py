"""What one SDK method asks of the API, independent of sync or async.

Every operation is a small function (in ``_operations``) that turns its arguments into
a ``Call`` or a ``ListCall``; its ``@route`` names the endpoint. The sync and async
clients then send the same description, so each endpoint is written once, and the
routes declared here are the coverage table the tests compare with the server's schema.
"""

from __future__ import annotations

import dataclasses
import functools
import mimetypes
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Generic, ParamSpec, Protocol, TypeAlias, TypeVar

T = TypeVar("T")
P = ParamSpec("P")
C = TypeVar("C", bound="Call[Any] | ListCall[Any]")


class NotGiven:
    """The default of an update's arguments: leave the field as it is. (``None`` is a
    real value there: ``assignee=None`` unassigns.)"""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN = NotGiven()


class HasId(Protocol):
    """Any API object with an ``id``: a model can be passed wherever an id is."""

    @property
    def id(self) -> int: ...


IdLike: TypeAlias = int | HasId
#: A file to upload: a path, or ``(filename, content)`` or
#: ``(filename, content, content_type)`` where content is bytes or a binary file.
FileInput: TypeAlias = (
    str | os.PathLike[str] | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]
)
UploadFile: TypeAlias = tuple[str, tuple[str, bytes, str]]


@dataclasses.dataclass(frozen=True)
class Route:
    """An endpoint: its method, its path under ``/api/v1`` as the OpenAPI schema
    writes it (``/tickets/{number}/``), its operation id, and whether repeating it is
    harmless although its method is POST (closing a closed ticket changes nothing)."""

    method: str
    path: str
    operation_id: str
    idempotent: bool = False

    def url(self, path_args: Mapping[str, Any]) -> str:
        return self.path.format(**path_args)

    @property
    def retry_safe(self) -> bool:
        """Whether repeating the request cannot do the work twice (RFC 9110's
        idempotent methods; PATCH is not one), or the action is idempotent."""
        return self.idempotent or self.method in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}


#: Every route an SDK method calls, by operation id: the SDK's coverage table.
ROUTES: dict[str, Route] = {}


@dataclasses.dataclass(frozen=True)
class Call(Generic[T]):
    """One request and how to read its answer."""

    parse: Callable[[Any], T]
    path_args: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    params: Mapping[str, Any] | None = None
    json: Any = None
    data: Mapping[str, Any] | None = None
    files: Sequence[UploadFile] | None = None
    idempotency_key: str | None = None
    route: Route | None = None

    def require_route(self) -> Route:
        assert self.route is not None, "a Call is built by a @route function"
        return self.route


@dataclasses.dataclass(frozen=True)
class ListCall(Generic[T]):
    """A paginated list: the same query sent once per page."""

    parse: Callable[[Any], T]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    route: Route | None = None

    def page(self, number: int) -> Call[dict[str, Any]]:
        params = {**self.params, "page": number}
        return Call(_as_dict, params=params, route=self.route)


def _as_dict(data: Any) -> dict[str, Any]:
    return dict(data)


def route(
    method: str, path: str, operation_id: str, *, idempotent: bool = False
) -> Callable[[Callable[P, C]], Callable[P, C]]:
    """Declare the endpoint an operation function calls, and record it in ``ROUTES``."""
    declared = Route(method, path, operation_id, idempotent)
    if operation_id in ROUTES:
        raise RuntimeError(f"operation {operation_id} is declared twice")
    ROUTES[operation_id] = declared

    def decorate(build: Callable[P, C]) -> Callable[P, C]:
        @functools.wraps(build)
        def with_route(*args: P.args, **kwargs: P.kwargs) -> C:
            return dataclasses.replace(build(*args, **kwargs), route=declared)

        with_route.route = declared  # type: ignore[attr-defined]
        return with_route

    return decorate


# Argument helpers -------------------------------------------------------------------


def ref(value: IdLike | None) -> int | None:
    """An id from an id or an object that has one."""
    if value is None or isinstance(value, int):
        return value
    return value.id


def refs(values: Iterable[IdLike]) -> list[int]:
    return [value if isinstance(value, int) else value.id for value in values]


def given(**fields: Any) -> dict[str, Any]:
    """The fields that were passed (not ``NOT_GIVEN``)."""
    return {name: value for name, value in fields.items() if value is not NOT_GIVEN}


def query(**params: Any) -> dict[str, Any]:
    """Query parameters without the ``None`` ones; sequences become comma lists and
    booleans ``true``/``false``."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (list, tuple, set, frozenset)):
            out[name] = ",".join(str(v) for v in value)
        elif hasattr(value, "id") and not isinstance(value, (str, int)):
            out[name] = value.id
        else:
            out[name] = value
    return out


def uploads(files: Sequence[FileInput] | None, field: str = "attachments") -> list[UploadFile]:
    """Files read into memory, so that a retried request sends them again."""
    out: list[UploadFile] = []
    for item in files or ():
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            name, content, content_type = path.name, path.read_bytes(), None
        else:
            name, body, *rest = item
            content = body if isinstance(body, bytes) else body.read()
            content_type = rest[0] if rest else None
        guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
        out.append((field, (name, content, content_type or guessed)))
    return out


def payload(fields: dict[str, Any], files: list[UploadFile]) -> dict[str, Any]:
    """A ``Call``'s body: JSON, or form fields beside the files when there are files to
    send. A form cannot carry ``null``, so null fields are left out of it (their
    server-side default applies)."""
    if not files:
        return {"json": fields}
    form = {name: value for name, value in fields.items() if value is not None}
    return {"data": form, "files": files}
