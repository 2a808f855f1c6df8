"""The SDK covers every operation of the server's API, and its docs are current."""

from __future__ import annotations

import subprocess
import sys

import httpx
from conftest import ROOT_DIR, SDK_DIR, LiveServer

import snagdesk
from snagdesk import ROUTES

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


def test_every_declared_route_is_reachable_from_both_clients() -> None:
    bound: set[str] = set()
    for client_class in (snagdesk.Snagdesk, snagdesk.AsyncSnagdesk):
        desk = client_class("http://127.0.0.1:9", "sdk_x")
        resources = [
            *(desk.tickets, desk.tickets.replies, desk.tickets.notes, desk.clients),
            *(desk.contacts, desk.projects, desk.departments, desk.widget_tokens),
        ]
        ids = {
            getattr(type(r), name).build.route.operation_id
            for r in resources
            for name in vars(type(r))
            if hasattr(getattr(type(r), name), "build")
        }
        assert ids == set(ROUTES), client_class.__name__
        bound |= ids
    assert len(bound) == len(ROUTES)


def test_the_reference_docs_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(SDK_DIR / "scripts" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert (ROOT_DIR / "docs" / "sdk.md").exists()
