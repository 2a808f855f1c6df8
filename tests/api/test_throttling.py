from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.factories import token_client

pytestmark = pytest.mark.django_db

# Rates are counted in fixed windows: a test that crossed a window's end would see more.
WINDOW_START = datetime(2026, 12, 1, 12, 0, 10, tzinfo=UTC)


@time_machine.travel(WINDOW_START, tick=False)
def test_requests_over_the_user_rate_get_429_with_retry_after(
    api: APIClient, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute"},
    }

    statuses = [api.get("/api/v1/departments/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/departments/")
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@time_machine.travel(WINDOW_START, tick=False)
def test_the_rate_is_counted_per_user(api: APIClient, settings: Any, admin_user: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1/minute"},
    }
    api.get("/api/v1/departments/")

    assert api.get("/api/v1/departments/").status_code == 429
    assert token_client(admin_user).get("/api/v1/departments/").status_code == 200
