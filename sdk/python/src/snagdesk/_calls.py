"""What one SDK method asks of the API, independent of sync or async.

Every operation is a small function (in ``_operations``) that turns its arguments into
a ``Call`` or a ``ListCall``; its ``@operation`` adds it to the operation table: the
resource and method name it appears as, and its endpoint. The sync and async resource
classes are generated from that table (scripts/gen_resources.py), so each endpoint is
written once, and its routes are the coverage table the tests compare with the
server's schema.

A method that is more than one request (``secure_messages.send`` encrypts, then
creates) is a ``@helper``: a generator that yields its ``Call``s and its CPU-bound
``Work`` and receives their results, so it too is written once for both clients.
"""

from __future__ import annotations

import dataclasses
import functools
import mimetypes
import os
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
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


class HasNumber(Protocol):
    """A ticket: addressed by its ``number``, not its ``id``."""

    @property
    def number(self) -> int: ...


#: A ticket, by its number or as the object.
TicketRef: TypeAlias = int | HasNumber

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
    harmless although its method is POST (closing a closed ticket changes nothing).

    A ``public`` route is a page of the desk outside the staff API (a secure message's
    ``/s/{id}/reveal``): its path is from the desk's root, it is sent without the API
    token, and it is not in ``ROUTES``, the table of the staff API."""

    method: str
    path: str
    operation_id: str
    idempotent: bool = False
    public: bool = False

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
        assert self.route is not None, "a Call is built by an @operation function"
        return self.route


@dataclasses.dataclass(frozen=True)
class ListCall(Generic[T]):
    """A paginated list: the same query sent once per page."""

    parse: Callable[[Any], T]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    route: Route | None = None
    # The list of one object (an assignment's ledger): its place in the path.
    path_args: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def page(self, number: int) -> Call[dict[str, Any]]:
        params = {**self.params, "page": number}
        return Call(_as_dict, path_args=self.path_args, params=params, route=self.route)


def _as_dict(data: Any) -> dict[str, Any]:
    return dict(data)


@dataclasses.dataclass(frozen=True)
class Work(Generic[T]):
    """CPU-bound work in a helper's steps (600,000 rounds of PBKDF2 for a password):
    the sync client runs it in place, the async one in a worker thread, so that its
    event loop is not held up."""

    run: Callable[[], T]


#: The body of a helper: a generator that yields each request (``Call``) and piece of
#: ``Work``, is sent back each one's result, and returns the method's result.
Steps: TypeAlias = Generator["Call[Any] | Work[Any]", Any, T]


@dataclasses.dataclass(frozen=True)
class Resource:
    """A group of operations: ``path`` is where it hangs off a client (``tickets``,
    ``tickets.replies``), ``class_name`` its sync class (the async one is prefixed
    ``Async``)."""

    path: str
    class_name: str
    doc: str


@dataclasses.dataclass(frozen=True)
class Operation:
    """One row of the operation table: the method ``name`` of ``resource``, its
    route, and ``build``, whose signature, docstring and return type (``Call[T]``, or
    ``ListCall[T]`` when paginated) the sync and async methods take."""

    resource: str
    name: str
    route: Route
    build: Callable[..., Call[Any] | ListCall[Any]]
    paginated: bool


@dataclasses.dataclass(frozen=True)
class Helper:
    """A method of a resource made of several steps (``secure_messages.send``: encrypt,
    then create): ``build`` returns its ``Steps[T]``, whose signature and docstring
    the sync and async methods take, as an operation's. ``sends`` says, for the
    reference, which requests it makes."""

    resource: str
    name: str
    sends: str
    build: Callable[..., Steps[Any]]


#: The resources, parents before their children, in the order clients show them.
RESOURCES: dict[str, Resource] = {}
#: The operation table, in declaration order: scripts/gen_resources.py writes the
#: sync and async resource classes (``resources.py``) from it.
OPERATIONS: list[Operation] = []
#: The helpers, in declaration order; generated beside the operations.
HELPERS: list[Helper] = []


def resource(path: str, class_name: str, doc: str) -> Resource:
    """Declare a resource of the clients (``client.<path>``)."""
    if path in RESOURCES:
        raise RuntimeError(f"resource {path} is declared twice")
    parent = path.rpartition(".")[0]
    if parent and parent not in RESOURCES:
        raise RuntimeError(f"resource {path} is declared before its parent {parent}")
    RESOURCES[path] = declared = Resource(path, class_name, doc)
    return declared


class _Routed(Generic[P, C]):
    """An operation's build function that stamps its route on the ``Call`` it makes."""

    def __init__(self, build: Callable[P, C], declared: Route) -> None:
        functools.update_wrapper(self, build)
        self.build = build
        self.route = declared

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> C:
        return dataclasses.replace(self.build(*args, **kwargs), route=self.route)


def operation(
    resource: str,
    name: str,
    method: str,
    path: str,
    operation_id: str,
    *,
    idempotent: bool = False,
) -> Callable[[Callable[P, C]], Callable[P, C]]:
    """Add a row to the operation table: ``client.<resource>.<name>(…)`` sends
    ``method path`` with what the decorated function builds from its arguments."""
    if resource not in RESOURCES:
        raise RuntimeError(f"operation {operation_id}: resource {resource} is not declared")
    if operation_id in ROUTES:
        raise RuntimeError(f"operation {operation_id} is declared twice")
    if any(op.resource == resource and op.name == name for op in OPERATIONS):
        raise RuntimeError(f"{resource}.{name} is declared twice")
    declared = Route(method, path, operation_id, idempotent)
    ROUTES[operation_id] = declared

    def decorate(build: Callable[P, C]) -> Callable[P, C]:
        routed = _Routed(build, declared)
        paginated = str(build.__annotations__["return"]).startswith("ListCall[")
        OPERATIONS.append(Operation(resource, name, declared, routed, paginated))
        return routed

    return decorate


def helper(
    resource: str, name: str, *, sends: str
) -> Callable[[Callable[P, Steps[T]]], Callable[P, Steps[T]]]:
    """Add ``client.<resource>.<name>(…)``, which runs the steps the decorated
    generator function yields (``sends``: the requests it makes, for the reference)."""
    if resource not in RESOURCES:
        raise RuntimeError(f"helper {name}: resource {resource} is not declared")
    taken = {op.name for op in OPERATIONS if op.resource == resource}
    if name in taken | {h.name for h in HELPERS if h.resource == resource}:
        raise RuntimeError(f"{resource}.{name} is declared twice")

    def decorate(build: Callable[P, Steps[T]]) -> Callable[P, Steps[T]]:
        HELPERS.append(Helper(resource, name, sends, build))
        return build

    return decorate


# Argument helpers -------------------------------------------------------------------


def ref(value: IdLike | None) -> int | None:
    """An id from an id or an object that has one."""
    if value is None or isinstance(value, int):
        return value
    return value.id


def ticket_number(value: TicketRef | None) -> int | None:
    """A ticket's number from a number or a ticket."""
    if value is None or isinstance(value, int):
        return value
    return value.number


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
