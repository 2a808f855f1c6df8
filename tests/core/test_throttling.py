"""Fixed-window rate limits counted with one atomic increment in the cache."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIRequestFactory

from snagdesk_server.core.throttling import WindowRateThrottle, rate_parse

START = datetime(2026, 12, 1, 12, 0, 10, tzinfo=UTC)


class TenAMinute(WindowRateThrottle):
    scope = "test"

    def get_rate(self) -> str:
        return "10/minute"

    def counted_as(self, request) -> str | None:
        return request.META.get("HTTP_X_WHO") or None


def _allowed(who: str = "ada") -> bool:
    request = APIRequestFactory().get("/", HTTP_X_WHO=who)
    return TenAMinute().allow_request(request, None)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("120/minute", (120, 60)),
        ("30/m", (30, 60)),
        ("5/second", (5, 1)),
        ("1000/day", (1000, 86400)),
    ],
)
def test_rates_are_parsed_into_requests_and_seconds(rate, expected):
    assert rate_parse(rate) == expected


def test_past_the_rate_requests_wait_for_the_next_window():
    with time_machine.travel(START, tick=False):
        assert [_allowed() for _ in range(11)] == [True] * 10 + [False]
        throttle = TenAMinute()
        throttle.allow_request(APIRequestFactory().get("/", HTTP_X_WHO="ada"), None)
        assert throttle.wait() == 50
        assert _allowed("grace") is True  # counted per ident
    with time_machine.travel(START.replace(second=59), tick=False):
        assert _allowed() is False
    with time_machine.travel(START.replace(minute=1, second=0), tick=False):
        assert _allowed() is True


def test_an_uncounted_request_is_let_through():
    request = APIRequestFactory().get("/")
    assert all(TenAMinute().allow_request(request, None) for _ in range(20))


@time_machine.travel(START, tick=False)
def test_requests_at_the_same_moment_are_all_counted():
    barrier = threading.Barrier(40)
    results: list[bool] = []

    def send() -> None:
        barrier.wait()
        results.append(_allowed("crowd"))

    threads = [threading.Thread(target=send) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count(True) == 10
