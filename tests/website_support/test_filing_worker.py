"""The filing wake-up between processes: the web process that accepts a report and the
worker that files it share nothing but the database and the broker, as under ``make run``
(each with its own local-memory cache)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from snagdesk_server.celery import app
from snagdesk_server.website_support.models import Submission
from snagdesk_server.website_support.submissions import widget_submit
from snagdesk_server.website_support.tasks import widget_submissions_file
from tests import factories
from tests.website_support.widget import report

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Celery worker in a process of its own, on a filesystem broker of this test's."""
    queue = tmp_path / "var" / "broker"
    for folder in ("processed", "control"):
        (queue / folder).mkdir(parents=True)
    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")  # Celery reads it before its conf
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(queue / "processed"),
        "control_folder": str(queue / "control"),
    }
    app._pool = None  # producers made earlier would still write to the old broker
    app.amqp._producer_pool = None
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": str(settings.BACKEND_DIR),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SNAGDESK_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": "filesystem://",
        "REDIS_URL": "",  # its own local-memory cache, as under make run
    }
    command = [sys.executable, "-m", "celery", "-A", "snagdesk_server", "worker", "--pool=solo"]
    worker = subprocess.Popen(  # noqa: S603
        [*command, "--loglevel=WARNING"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        app.conf.broker_url, app.conf.broker_transport_options = previous
        app._pool = None
        app.amqp._producer_pool = None


def _filed_within(seconds: float, numbers: list[int]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Submission.objects.filter(number__in=numbers, filed_at=None).count() == 0:
            return True
        time.sleep(0.1)
    return False


def test_a_burst_after_a_run_finished_is_filed_at_once_by_a_worker_of_its_own(worker_process):
    token = factories.WidgetTokenFactory()
    warm_up = factories.SubmissionFactory(token=token)  # asks for no run
    widget_submissions_file.delay()
    assert _filed_within(60, [warm_up.number]), "the worker did not start within 60 s"

    first = widget_submit(**report(token))
    assert _filed_within(4, [first.number])
    # Within the ten seconds the first wake-up would have lasted had nothing cleared it.
    burst = [widget_submit(**report(token, subject=f"Report {n}")).number for n in range(3)]

    assert _filed_within(4, burst), "the burst waited for the sweeper job"
