"""Failed sign-ins racing each other on a real database (PostgreSQL only, like tests/tickets)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from snagdesk_server.accounts.forms import LoginForm
from snagdesk_server.accounts.models import LoginAttempt
from tests import factories
from tests.tickets.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 8


def _wrong_password(email: str, outcomes: list[str]) -> Any:
    def attempt() -> None:
        request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.5")
        form = LoginForm(request, data={"email": email, "password": "guess"})
        assert not form.is_valid()
        outcomes.append(form.non_field_errors().as_data()[0].code or "")

    return attempt


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_failures_are_all_counted(attempt: int, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 100
    staff = factories.StaffFactory()
    outcomes: list[str] = []

    errors = race(*[_wrong_password(staff.email, outcomes)] * ATTEMPTS)

    assert errors == []
    assert outcomes == ["invalid_login"] * ATTEMPTS
    assert LoginAttempt.objects.filter(email=staff.email).count() == ATTEMPTS


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_guesses_never_try_more_passwords_than_the_limit(
    attempt: int, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    staff = factories.StaffFactory()
    outcomes: list[str] = []

    errors = race(*[_wrong_password(staff.email, outcomes)] * ATTEMPTS)

    assert errors == []
    tried = outcomes.count("invalid_login")
    assert tried <= 3
    assert outcomes.count("locked") == ATTEMPTS - tried
    # Every password that was checked is still counted; no refused attempt is.
    assert LoginAttempt.objects.filter(email=staff.email).count() == tried
