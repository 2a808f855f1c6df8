"""Burn after reading under a crowd: of many readers at once, exactly one gets the secret.

SQLite serialises writers, so this runs on PostgreSQL only (``.ci/run`` does)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from snagdesk_server.core.models import AuditEntry
from snagdesk_server.secure_messages.errors import SecretGone
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import Revealed, secure_message_reveal
from tests import factories
from tests.secure_messages.sealing import TEXT, make_secret

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READERS = 50


def race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def go(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.parametrize("attempt", range(20))
def test_fifty_concurrent_reveals_of_a_burning_secret_yield_exactly_one(attempt: int) -> None:
    made = make_secret(actor=factories.StaffFactory(), burn=True)

    def read() -> Revealed:
        return secure_message_reveal(secret_id=made.id, verifier=made.verifier)

    results, errors = race([read] * READERS)

    assert len(results) == 1, f"{len(results)} readers got the secret"
    assert [type(error) for error in errors] == [SecretGone] * (READERS - 1)
    revealed = results[0]
    assert isinstance(revealed, Revealed)
    assert made.opened(revealed.envelope) == TEXT
    message = SecureMessage.objects.get(pk=made.id)
    assert message.read_count == 1
    assert message.read_at is not None
    assert not SecretContent.objects.filter(message_id=made.id).exists()
    assert AuditEntry.objects.filter(object_id=made.id, action="secure_message.open").count() == 1


def test_concurrent_reveals_of_a_kept_secret_all_succeed_and_all_count() -> None:
    made = make_secret(actor=factories.StaffFactory(), burn=False)

    results, errors = race(
        [lambda: secure_message_reveal(secret_id=made.id, verifier=made.verifier)] * 10
    )

    assert errors == []
    assert len(results) == 10
    assert SecureMessage.objects.get(pk=made.id).read_count == 10
    assert SecretContent.objects.filter(message_id=made.id).exists()
