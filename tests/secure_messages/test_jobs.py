"""The cleanup job: expired secure messages are deleted for good, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snagdesk_server.accounts.models import User
from snagdesk_server.core.jobs import beat_schedule, job_run
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from snagdesk_server.secure_messages.services import secure_message_reveal
from tests.secure_messages.sealing import make_request, make_secret

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
JOB = "purge_expired_secure_messages"


def test_the_job_deletes_expired_messages_and_keeps_the_others(staff: User) -> None:
    expired = [
        make_secret(actor=staff, expiry="1d", now=NOW - timedelta(days=2)),
        make_secret(actor=staff, expiry="1d", burn=False, now=NOW - timedelta(days=1)),  # at NOW
        make_request(actor=staff, expiry="3d", now=NOW - timedelta(days=4)),
    ]
    read = make_secret(actor=staff, expiry="7d", now=NOW - timedelta(days=8))
    secure_message_reveal(secret_id=read.id, verifier=read.verifier, now=NOW - timedelta(days=7))
    live = [
        make_secret(actor=staff, expiry="1d", now=NOW - timedelta(hours=23)),
        make_secret(actor=staff, expiry="never", now=NOW - timedelta(days=400)),
        make_request(actor=staff, expiry="30d", now=NOW - timedelta(days=29)),
    ]

    summary = job_run(JOB, now=NOW)

    assert summary == {"deleted": 4}
    gone = [made.id for made in [*expired, read]]
    assert not SecureMessage.objects.filter(pk__in=gone).exists()
    assert not SecretContent.objects.filter(message_id__in=gone).exists()
    assert set(SecureMessage.objects.values_list("pk", flat=True)) == {m.id for m in live}
    assert SecretContent.objects.filter(message_id__in=[live[0].id, live[1].id]).count() == 2


def test_a_second_run_changes_nothing(staff: User) -> None:
    make_secret(actor=staff, expiry="1d", now=NOW - timedelta(days=2))
    kept = make_secret(actor=staff, expiry="7d", now=NOW)
    job_run(JOB, now=NOW)
    audit = list(AuditEntry.objects.values_list("pk", flat=True))

    assert job_run(JOB, now=NOW) == {"deleted": 0}
    assert job_run(JOB, now=NOW + timedelta(minutes=15)) == {"deleted": 0}

    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit
    assert list(SecureMessage.objects.values_list("pk", flat=True)) == [kept.id]


def test_each_deleted_message_leaves_an_expire_entry(staff: User) -> None:
    made = make_secret(actor=staff, expiry="1d", now=NOW - timedelta(days=2))

    job_run(JOB, now=NOW)

    entry = AuditEntry.objects.get(action="secure_message.expire")
    assert (entry.object_id, entry.actor, entry.created_at, entry.changes) == (
        made.id,
        None,
        NOW,
        {},
    )


def test_the_job_is_scheduled_every_quarter_hour(db: None) -> None:
    scheduled = beat_schedule()[JOB]

    assert scheduled["args"] == (JOB,)
    assert scheduled["schedule"].minute == {0, 15, 30, 45}
