"""The retention job: unpinned memos older than the setting go, with their files, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage

from snagdesk_server.accounts.models import User
from snagdesk_server.core.config import settings_get, settings_save
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.events import Event
from snagdesk_server.core.jobs import beat_schedule, job_run
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.tasks import run_job
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.models import Memo, MemoAttachment, MemoTag
from snagdesk_server.memos.services import memo_create
from tests.tickets.test_services import png

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 3, 30, tzinfo=UTC)
JOB = "purge_old_memos"


@pytest.fixture
def retention(staff: User):
    def keep_for(days: int) -> None:
        settings_save(MemoSettings, values={"retention_days": days}, actor=staff)

    return keep_for


def _memo(staff: User, age: timedelta, **kwargs: object) -> Memo:
    return memo_create(actor=staff, body=kwargs.pop("body", "A memo"), now=NOW - age, **kwargs)


def _purge_audit() -> list[tuple[str, str, None]]:
    entries = AuditEntry.objects.filter(
        action="memo.purge", content_type=ContentType.objects.get_for_model(Memo)
    )
    return sorted((e.object_id, e.actor_label, e.actor) for e in entries)


def test_old_unpinned_memos_go_with_their_files_after_commit(
    staff: User, retention, emitted: list[Event], django_capture_on_commit_callbacks
) -> None:
    retention(30)
    old = _memo(staff, timedelta(days=31), body="Old #stale", attachments=[png()])
    older = _memo(staff, timedelta(days=400), visibility="public")
    pinned = _memo(staff, timedelta(days=400), pinned=True)
    young = _memo(staff, timedelta(days=29))
    names = list(MemoAttachment.objects.values_list("file", flat=True))

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks() as callbacks:
            summary = job_run(JOB, now=NOW)
        assert default_storage.exists(names[0])
        for callback in callbacks:
            callback()

    assert summary == {"deleted": 2}
    assert set(Memo.objects.values_list("pk", flat=True)) == {pinned.pk, young.pk}
    assert not MemoAttachment.objects.exists()
    assert not default_storage.exists(names[0])
    assert not MemoTag.objects.filter(name="stale").exists()
    assert _purge_audit() == sorted(
        [(str(old.pk), "system", None), (str(older.pk), "system", None)]
    )
    deleted = [(e.name, e.payload["memo_id"], e.payload["reason"], e.actor_id) for e in emitted]
    assert sorted(deleted) == sorted(
        [
            ("memo.deleted", old.pk, "retention", None),
            ("memo.deleted", older.pk, "retention", None),
        ]
    )


def test_a_memo_exactly_as_old_as_the_retention_stays(staff: User, retention) -> None:
    retention(7)
    boundary = _memo(staff, timedelta(days=7))
    past = _memo(staff, timedelta(days=7, seconds=1))

    assert job_run(JOB, now=NOW) == {"deleted": 1}

    assert list(Memo.objects.values_list("pk", flat=True)) == [boundary.pk]
    assert not Memo.objects.filter(pk=past.pk).exists()


def test_zero_days_keeps_every_memo(staff: User) -> None:
    assert settings_get(MemoSettings).retention_days == 0
    _memo(staff, timedelta(days=36500))

    assert job_run(JOB, now=NOW) == {"deleted": 0}

    assert Memo.objects.count() == 1
    assert _purge_audit() == []


def test_a_second_run_at_the_same_moment_deletes_nothing(staff: User, retention, run) -> None:
    retention(30)
    _memo(staff, timedelta(days=60), attachments=[png()])
    kept = _memo(staff, timedelta(days=1))
    assert run(job_run, name=JOB, now=NOW) == {"deleted": 1}
    audit = list(AuditEntry.objects.values_list("pk", flat=True))

    assert run(job_run, name=JOB, now=NOW) == {"deleted": 0}
    assert run(job_run, name=JOB, now=NOW + timedelta(hours=1)) == {"deleted": 0}

    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit
    assert list(Memo.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_scheduled_task_purges_by_the_clock(staff: User, retention) -> None:
    retention(30)
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        memo = memo_create(actor=staff, body="Written a month ago")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        assert run_job.delay(JOB).get() == {"deleted": 0}

    with time_machine.travel(NOW, tick=False):
        assert run_job.delay(JOB).get() == {"deleted": 1}

    assert not Memo.objects.filter(pk=memo.pk).exists()


def test_the_job_runs_every_night(db: None) -> None:
    scheduled = beat_schedule()[JOB]

    assert scheduled["args"] == (JOB,)
    assert (scheduled["schedule"].hour, scheduled["schedule"].minute) == ({3}, {30})


def test_a_negative_retention_is_refused_on_its_field(staff: User, retention) -> None:
    retention(90)

    with pytest.raises(ValidationError) as raised:
        settings_save(MemoSettings, values={"retention_days": -1}, actor=staff)

    assert list(raised.value.field_errors) == ["retention_days"]
    assert raised.value.field_errors["retention_days"]
    assert settings_get(MemoSettings).retention_days == 90
