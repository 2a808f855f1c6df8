"""The SDK covers every operation of the server's API, and its docs are current."""

from __future__ import annotations

import inspect
import operator
import subprocess
import sys

import httpx
import pytest
from conftest import ROOT_DIR, SDK_DIR, LiveServer

import snagdesk
from snagdesk import ROUTES
from snagdesk._calls import HELPERS, OPERATIONS

HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def schema_operations(server: LiveServer) -> dict[tuple[str, str], str]:
    response = httpx.get(
        f"{server.url}/api/schema/",
        params={"format": "json"},
        headers={"Authorization": f"Bearer {server.admin_token}"},
    )
    response.raise_for_status()
    schema = response.json()
    return {
        (method.upper(), path.removeprefix("/api/v1")): operation.get("operationId", "")
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def test_every_api_operation_has_an_sdk_method(live_server: LiveServer) -> None:
    in_api = schema_operations(live_server)
    in_sdk = {(route.method, route.path) for route in ROUTES.values()}

    missing = sorted(f"{m} {p} ({in_api[m, p]})" for m, p in set(in_api) - in_sdk)
    stale = sorted(f"{m} {p}" for m, p in in_sdk - set(in_api))
    assert missing == [], "the API has operations the SDK does not cover"
    assert stale == [], "the SDK declares operations the API no longer has"


def test_operation_ids_match_the_schema(live_server: LiveServer) -> None:
    in_api = schema_operations(live_server)

    assert {r.operation_id: (r.method, r.path) for r in ROUTES.values()} == {
        op_id: key for key, op_id in in_api.items()
    }


@pytest.mark.parametrize("client_class", [snagdesk.Snagdesk, snagdesk.AsyncSnagdesk])
def test_every_operation_of_the_table_is_a_method_of_the_client(client_class: type) -> None:
    desk = client_class("http://127.0.0.1:9", "sdk_x")
    reached = set()
    for operation in OPERATIONS:
        method = getattr(operator.attrgetter(operation.resource)(desk), operation.name)
        assert inspect.getdoc(method) == inspect.getdoc(operation.build)
        expected = inspect.signature(operation.build).parameters
        assert list(inspect.signature(method).parameters) == list(expected)
        reached.add(operation.route.operation_id)

    assert reached == set(ROUTES)


@pytest.mark.parametrize("client_class", [snagdesk.Snagdesk, snagdesk.AsyncSnagdesk])
def test_every_helper_is_a_method_of_the_client(client_class: type) -> None:
    desk = client_class("http://127.0.0.1:9", "sdk_x")
    assert HELPERS
    for helper in HELPERS:
        method = getattr(operator.attrgetter(helper.resource)(desk), helper.name)
        assert inspect.getdoc(method) == inspect.getdoc(helper.build)
        expected = inspect.signature(helper.build).parameters
        assert list(inspect.signature(method).parameters) == list(expected)
        assert inspect.iscoroutinefunction(method) is (client_class is snagdesk.AsyncSnagdesk)


def test_async_methods_are_awaited_and_async_lists_iterated() -> None:
    desk = snagdesk.AsyncSnagdesk("http://127.0.0.1:9", "sdk_x")
    for operation in OPERATIONS:
        method = getattr(operator.attrgetter(operation.resource)(desk), operation.name)
        assert inspect.iscoroutinefunction(method) is not operation.paginated, method


def _script_check(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SDK_DIR / "scripts" / script), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_resource_classes_are_generated_from_the_table() -> None:
    done = _script_check("gen_resources.py")

    assert done.returncode == 0, done.stdout + done.stderr


def test_the_reference_docs_are_up_to_date() -> None:
    done = _script_check("gen_docs.py")

    assert done.returncode == 0, done.stdout + done.stderr
    assert (ROOT_DIR / "docs" / "sdk.md").exists()
