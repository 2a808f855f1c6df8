"""Retries, backoff and timeouts, against small real HTTP servers on local ports."""

from __future__ import annotations

import json
import re
import socket
import time

import httpx
import pytest
from conftest import Answer, ScriptedServer

from snagdesk import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    ServerError,
    Snagdesk,
)
from snagdesk._http import RetryPolicy

CLIENT = {"id": 7, "name": "Acme", "vat_number": "", "address": "", "city": "", "postal_code": "",
          "country": "", "website": "", "phone": "", "active": True,
          "created_at": "2025-01-02T03:04:05Z"}  # fmt: skip
UNAVAILABLE = Answer(503, {"code": "error", "message": "Down for maintenance.", "fields": {}})
THROTTLED = Answer(
    429,
    {"code": "throttled", "message": "Request was throttled.", "fields": {}},
    {"Retry-After": "1"},
)


def _desk(server: ScriptedServer, **options: float) -> Snagdesk:
    settings: dict[str, float] = {"backoff_base": 0.05, "max_retries": 3, **options}
    return Snagdesk(server.url, "sdk_test_token", **settings)  # type: ignore[arg-type]


def test_get_retries_503_then_429_then_succeeds(scripted: ScriptedServer) -> None:
    scripted.script(UNAVAILABLE, THROTTLED, Answer(200, CLIENT))

    with _desk(scripted) as desk:
        client = desk.clients.get(7)

    assert client.name == "Acme"
    assert [r.method for r in scripted.received] == ["GET", "GET", "GET"]
    gap_after_429 = scripted.received[2].at - scripted.received[1].at
    assert gap_after_429 >= 0.95  # Retry-After: 1 was honoured
    gap_after_503 = scripted.received[1].at - scripted.received[0].at
    assert gap_after_503 < 0.5  # backoff, at most backoff_base for the first retry


def test_retries_stop_after_max_retries(scripted: ScriptedServer) -> None:
    scripted.script(UNAVAILABLE)

    with _desk(scripted, max_retries=2) as desk, pytest.raises(ServerError) as caught:
        desk.clients.get(7)

    assert len(scripted.received) == 3
    assert (caught.value.status, caught.value.message) == (503, "Down for maintenance.")


def test_no_retries_when_max_retries_is_zero(scripted: ScriptedServer) -> None:
    scripted.script(UNAVAILABLE, Answer(200, CLIENT))

    with _desk(scripted, max_retries=0) as desk, pytest.raises(ServerError):
        desk.clients.get(7)

    assert len(scripted.received) == 1


def test_a_post_without_an_idempotency_key_is_not_retried(scripted: ScriptedServer) -> None:
    scripted.script(UNAVAILABLE, Answer(201, CLIENT))

    with _desk(scripted) as desk, pytest.raises(ServerError):
        desk.clients.create(name="Acme")

    assert len(scripted.received) == 1


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_key(
    scripted: ScriptedServer,
) -> None:
    scripted.script(UNAVAILABLE, Answer(201, CLIENT))

    with _desk(scripted) as desk:
        client = desk.clients.create(name="Acme", idempotency_key="create-acme-1")

    assert client.id == 7
    keys = [r.headers.get("Idempotency-Key") for r in scripted.received]
    assert keys == ["create-acme-1", "create-acme-1"]
    assert [json.loads(r.body) for r in scripted.received] == [{"name": "Acme"}] * 2


def test_a_patch_is_not_retried(scripted: ScriptedServer) -> None:
    scripted.script(UNAVAILABLE, Answer(200, CLIENT))

    with _desk(scripted) as desk, pytest.raises(ServerError):
        desk.clients.update(7, name="Acme")

    assert len(scripted.received) == 1


def test_an_idempotent_action_is_retried(scripted: ScriptedServer) -> None:
    widget = {"id": 3, "name": "Site", "active": False}
    scripted.script(UNAVAILABLE, Answer(200, widget))

    with _desk(scripted) as desk:
        token = desk.widget_tokens.disable(3)

    assert token.active is False
    assert [r.path for r in scripted.received] == ["/api/v1/widget-tokens/3/disable/"] * 2


def test_a_long_retry_after_is_not_waited_for(scripted: ScriptedServer) -> None:
    scripted.script(
        Answer(429, {"code": "throttled", "message": "Slow down."}, {"Retry-After": "3600"})
    )
    started = time.monotonic()

    with _desk(scripted) as desk, pytest.raises(RateLimitError) as caught:
        desk.clients.get(7)

    assert time.monotonic() - started < 1
    assert len(scripted.received) == 1
    assert (caught.value.retry_after, caught.value.code) == (3600, "throttled")


def test_a_slow_server_is_a_timeout(scripted: ScriptedServer) -> None:
    scripted.script(Answer(200, CLIENT, delay=2))
    started = time.monotonic()

    with _desk(scripted, timeout=0.3, max_retries=0) as desk, pytest.raises(APITimeoutError):
        desk.clients.get(7)

    assert time.monotonic() - started < 1.5


def test_a_timeout_is_retried_like_a_connection_error(scripted: ScriptedServer) -> None:
    scripted.script(Answer(200, CLIENT, delay=1), Answer(200, CLIENT))

    with _desk(scripted, timeout=0.3, max_retries=1) as desk:
        client = desk.clients.get(7)

    assert client.id == 7
    assert len(scripted.received) == 2


def test_nobody_listening_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the request: nothing listens
    desk = Snagdesk(f"http://127.0.0.1:{port}", "sdk_x", max_retries=1, backoff_base=0.01)

    with desk, pytest.raises(APIConnectionError) as caught:
        desk.clients.get(7)

    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.status is None


def test_requests_carry_the_token_and_the_user_agent(scripted: ScriptedServer) -> None:
    scripted.script(Answer(200, CLIENT))

    with _desk(scripted) as desk:
        desk.clients.get(7)

    headers = scripted.received[0].headers
    assert headers["Authorization"] == "Bearer sdk_test_token"
    assert re.fullmatch(
        r"snagdesk-python/\d+\.\d+\.\d+\S* httpx/" + re.escape(httpx.__version__)
        + r" python/3\.\d+\.\d+\S*",
        headers["User-Agent"],
    )  # fmt: skip


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=3.0)

    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 3.0), (6, 3.0)]:
        waits = [policy.backoff(attempt) for _ in range(200)]
        assert all(0 <= wait <= ceiling for wait in waits)
        assert max(waits) > ceiling * 0.75  # spread over the whole range…
        assert min(waits) < ceiling * 0.25  # …down to (almost) nothing


def test_unknown_fields_stay_reachable(scripted: ScriptedServer) -> None:
    scripted.script(Answer(200, {**CLIENT, "credit_limit": "5000.00"}))

    with _desk(scripted) as desk:
        client = desk.clients.get(7)

    assert client.extra == {"credit_limit": "5000.00"}
    assert client.raw["credit_limit"] == "5000.00"
    assert client.created_at.isoformat() == "2025-01-02T03:04:05+00:00"
