"""Write the SDK's API reference, ``docs/sdk.md``, from its code and docstrings.

    python sdk/python/scripts/gen_docs.py          # rewrite docs/sdk.md
    python sdk/python/scripts/gen_docs.py --check  # exit 1 if it is out of date

Run it with an interpreter that has httpx (the repository's ``.venv``); it reads the SDK from
``sdk/python/src``. The tests run ``--check``, so a method added without regenerating
the docs fails them.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import sys
from pathlib import Path
from typing import Any

# Read the checkout's sources, not the copy run-tests installed when they last changed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from snagdesk import cli, errors, models, secrets
from snagdesk._calls import HELPERS, OPERATIONS, RESOURCES, Resource
from snagdesk.client import Snagdesk

DOCS = Path(__file__).resolve().parents[3] / "docs" / "sdk.md"

INTRO = """\
# Python SDK reference

The `snagdesk` package is the Python client of the [staff REST API](api.md). Install
it from the repository with `pip install ./sdk/python` (Python 3.11+; it needs httpx,
and cryptography for secure messages). [`sdk/python/README.md`](../sdk/python/README.md)
shows it at work. This page is generated from the code by
`sdk/python/scripts/gen_docs.py`: edit the docstrings, then run the script.

## Clients

```python
from snagdesk import Snagdesk, AsyncSnagdesk

desk = Snagdesk(base_url=None, token=None, *, timeout=30.0, max_retries=2,
                backoff_base=0.5, backoff_max=8.0, http_client=None)
```

{client_doc}

`AsyncSnagdesk` takes the same arguments (`http_client` is an `httpx.AsyncClient`) and
has the same resources and methods; each call is awaited, each list is an
`AsyncPager` iterated with `async for`, and it is closed with `await desk.close()` or
`async with`.

## Conventions

- **Related objects** are given by id, or as any object with an `id` (a `Client`,
  a `NamedRef`…). Tickets are addressed by their `number`, wherever they are
  named (`memos.create(ticket=1042)`), or given as the `Ticket`.
- **Creates** leave out the arguments left at `None`: the server's default applies.
- **Updates** send only the arguments given (the default, `NOT_GIVEN`, leaves a field
  as it is), and there `None` is a value: `update(n, assignee=None)` unassigns.
- **Lists** return a pager without sending anything. Iterate it for every item over
  all pages, or call `.page(n)` for one `Page` (`number`, `count`, `next`,
  `previous`, `results`); `.pages()` yields the pages, `.first()` the first item.
- **Files** (`attachments=`) are paths or `(name, bytes)` / `(name, bytes,
  content_type)` tuples; with files the request is sent as multipart.
- **Retries**: a request is retried (up to `max_retries`, with exponential backoff
  and full jitter, or after the server's `Retry-After`) after a connection error,
  a timeout, a 429 or a 500/502/503/504, when repeating it is safe: GET, DELETE,
  and the POST actions marked *idempotent* below. A create or a reply is retried
  only when you pass `idempotency_key=` (sent as the `Idempotency-Key` header).
- **Helpers** (marked so below) are methods made of local work and requests:
  `secure_messages.send` encrypts, then creates. The async client does their slow
  work (a password's key derivation) in a worker thread.
"""


def _signature(owner: str, name: str, build: Any) -> str:
    returns = _returns(str(inspect.signature(build).return_annotation))
    return _written(f"desk.{owner}.{name}(", build, returns)


def _written(head: str, function: Any, returns: str) -> str:
    """``head`` and the parameters of ``function``, on one line or one a line."""
    parts: list[str] = []
    keyword_only_marked = False
    for param in inspect.signature(function).parameters.values():
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not keyword_only_marked:
            parts.append("*")
            keyword_only_marked = True
        text = f"{param.name}: {param.annotation}"
        if param.default is not inspect.Parameter.empty:
            default = param.default
            text += f' = "{default}"' if isinstance(default, str) else f" = {default!r}"
        parts.append(text)
    one_line = f"{head}{', '.join(parts)}) -> {returns}"
    if len(one_line) <= 88:
        return one_line
    body = "".join(f"    {part},\n" for part in parts)
    return f"{head}\n{body}) -> {returns}"


def _returns(annotation: str) -> str:
    match = re.fullmatch(r"(List)?(?:Call|Steps)\[(.+)\]", annotation)
    assert match, annotation
    return f"SyncPager[{match[2]}]" if match[1] else match[2]


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def _resource_section(resource: Resource) -> list[str]:
    path = resource.path
    lines = [f"### `desk.{path}`", "", inspect.cleandoc(resource.doc), ""]
    for operation in OPERATIONS:
        if operation.resource != path:
            continue
        route, name = operation.route, operation.name
        idempotent = " — idempotent, retried" if route.idempotent else ""
        lines += [
            f"#### `{path}.{name}`",
            "",
            f"`{route.method} /api/v1{route.path}` (`{route.operation_id}`){idempotent}",
            "",
            "```python",
            _signature(path, name, operation.build),
            "```",
            "",
            _doc(operation.build),
            "",
        ]
    for helper in HELPERS:
        if helper.resource != path:
            continue
        lines += [
            f"#### `{path}.{helper.name}`",
            "",
            f"Helper: `{helper.sends}`",
            "",
            "```python",
            _signature(path, helper.name, helper.build),
            "```",
            "",
            _doc(helper.build),
            "",
        ]
    return lines


def _model_section(cls: type[Any]) -> list[str]:
    lines = [f"### `{cls.__name__}`", "", _doc(cls), "", "| field | type |", "|---|---|"]
    lines += [
        f"| `{field.name}` | `{field.type}` |"
        for field in dataclasses.fields(cls)
        if field.name != "raw"
    ]
    return [*lines, ""]


def _secrets_section() -> list[str]:
    lines = ["", "## Secure messages' cryptography: `snagdesk.secrets`", "", _doc(secrets), ""]
    for cls in (secrets.Sealed, secrets.Keys):
        lines += _model_section(cls)
    for name in secrets.__all__:
        value = getattr(secrets, name)
        if not inspect.isfunction(value):
            continue
        lines += [
            f"### `secrets.{name}`",
            "",
            "```python",
            _written(f"secrets.{name}(", value, str(inspect.signature(value).return_annotation)),
            "```",
            "",
            _doc(value),
            "",
        ]
    return lines


def render() -> str:
    lines = [INTRO.format(client_doc=_doc(Snagdesk)), "## Resources", ""]
    for resource in RESOURCES.values():
        lines += _resource_section(resource)
    lines += [
        "## Objects",
        "",
        _doc(models),
        "",
        "`to_dict()` gives an object back as the server sent it.",
        "",
    ]
    for name in models.__all__:
        value = getattr(models, name)
        if (
            isinstance(value, type)
            and issubclass(value, models.Model)
            and value is not models.Model
        ):
            lines += _model_section(value)
    for cls in (secrets.SentSecret, secrets.RequestedSecret):
        lines += _model_section(cls)
    lines += ["### Enumerations", ""]
    for name in (
        "TicketStatus",
        "TicketPriority",
        "TicketSource",
        "TicketOrdering",
        "ProjectStatus",
        "SecureMessageKind",
        "SecureMessageExpiry",
        "SecureMessageStatus",
        "MemoVisibility",
        "ServiceState",
        "BillingCycle",
        "ServiceSort",
        "InvoiceStatus",
        "InvoiceKind",
        "PaymentMethod",
        "WalletEntryKind",
        "PackageOverage",
        "PackageDiscountKind",
        "PackageAfterLastTier",
        "PackageAssignmentStatus",
        "PackageEntryKind",
    ):
        values = ", ".join(f"`{v}`" for v in getattr(models, name).__args__)
        lines.append(f"- `{name}`: {values}")
    lines += ["", "## Errors", "", _doc(errors), ""]
    lines += [
        "Every exception has `status`, `code`, `message`, `fields` and `response` (the",
        "`httpx.Response`, when there was one); `RateLimitError` also has `retry_after`.",
        "",
        "| exception | when |",
        "|---|---|",
    ]
    for name in errors.__all__:
        cls = getattr(errors, name)
        base = cls.__mro__[1].__name__
        summary = _doc(cls).split("\n\n")[0].replace("\n", " ")
        lines.append(f"| `{name}` ({base}) | {summary} |")
    lines += _secrets_section()
    lines += ["", "## Command line", "", _doc(cli), ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/sdk.md is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not DOCS.exists() or DOCS.read_text() != text:
            print(f"{DOCS} is out of date: run sdk/python/scripts/gen_docs.py", file=sys.stderr)
            return 1
        return 0
    DOCS.write_text(text)
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
