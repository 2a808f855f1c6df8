"""The widget API's rates: per token and per client IP, counted in the cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests import factories
from tests.website_support.widget import get_config, submit

pytestmark = pytest.mark.django_db

# Rates are counted in fixed windows: a test that crossed a window's end would see more.
WINDOW_START = datetime(2026, 12, 1, 12, 0, 10, tzinfo=UTC)


@time_machine.travel(WINDOW_START, tick=False)
def test_submissions_over_the_token_rate_get_429_with_retry_after(visitor, token, settings):
    settings.WIDGET_TOKEN_RATE = "2/minute"

    statuses = [submit(visitor, token, subject=f"s{n}").status_code for n in range(3)]

    assert statuses == [201, 201, 429]
    response = submit(visitor, token)
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@time_machine.travel(WINDOW_START, tick=False)
def test_the_token_rate_is_counted_per_token(visitor, token, settings):
    settings.WIDGET_TOKEN_RATE = "1/minute"
    submit(visitor, token)

    assert submit(visitor, token).status_code == 429
    assert submit(visitor, factories.WidgetTokenFactory()).status_code == 201


@time_machine.travel(WINDOW_START, tick=False)
def test_submissions_over_the_ip_rate_get_429_whatever_the_token(visitor, token, settings):
    settings.WIDGET_IP_RATE = "1/minute"
    submit(visitor, token)

    response = submit(visitor, factories.WidgetTokenFactory())

    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert submit(visitor, token, meta={"REMOTE_ADDR": "203.0.113.9"}).status_code == 201


@time_machine.travel(WINDOW_START, tick=False)
def test_a_forged_forwarded_for_header_does_not_escape_the_ip_rate(visitor, token, settings):
    settings.WIDGET_IP_RATE = "1/minute"
    submit(visitor, token, meta={"HTTP_X_FORWARDED_FOR": "198.51.100.1"})

    response = submit(visitor, token, meta={"HTTP_X_FORWARDED_FOR": "198.51.100.2"})

    assert response.status_code == 429


@time_machine.travel(WINDOW_START, tick=False)
def test_behind_a_trusted_proxy_the_forwarded_client_ip_is_counted(visitor, token, settings):
    settings.WIDGET_IP_RATE = "1/minute"
    settings.WIDGET_NUM_PROXIES = 1
    submit(visitor, token, meta={"HTTP_X_FORWARDED_FOR": "spoofed, 198.51.100.1"})

    assert submit(visitor, token, meta={"HTTP_X_FORWARDED_FOR": "198.51.100.2"}).status_code == 201
    assert (
        submit(visitor, token, meta={"HTTP_X_FORWARDED_FOR": "x, 198.51.100.2"}).status_code == 429
    )


@time_machine.travel(WINDOW_START, tick=False)
def test_loading_the_config_does_not_use_up_the_submissions(visitor, token, settings):
    settings.WIDGET_IP_RATE = "2/minute"

    configs = [get_config(visitor, token).status_code for _ in range(3)]

    assert configs == [200, 200, 429]
    assert submit(visitor, token).status_code == 201
