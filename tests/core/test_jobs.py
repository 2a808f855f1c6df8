from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient

from snagdesk_server.celery import app
from snagdesk_server.core.jobs import all_jobs
from snagdesk_server.core.tasks import run_job as run_job_task
from snagdesk_server.tickets import services
from snagdesk_server.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def stale_ticket(staff_user):
    ticket = factories.TicketFactory()
    services.ticket_reply(
        ticket=ticket, actor=staff_user, message="Is it fixed?", now=NOW - timedelta(days=10)
    )
    return ticket


def run_job(*args: str) -> dict:
    out = StringIO()
    call_command("run_job", *args, stdout=out)
    return json.loads(out.getvalue())


def test_every_job_is_scheduled_on_beat():
    names = {job.name for job in all_jobs()}
    assert {"close_stale_tickets", "prune_login_attempts"} <= names
    assert set(app.conf.beat_schedule) == names
    assert all(
        entry["task"] == "snagdesk_server.core.tasks.run_job"
        for entry in app.conf.beat_schedule.values()
    )


def test_run_job_twice_at_the_same_now_has_no_second_effect(stale_ticket):
    assert run_job("close_stale_tickets", "--now", NOW.isoformat()) == {"closed": 1}
    assert run_job("close_stale_tickets", "--now", NOW.isoformat()) == {"closed": 0}
    stale_ticket.refresh_from_db()
    assert stale_ticket.status == Ticket.Status.CLOSED
    assert stale_ticket.closed_at == NOW


def test_run_job_before_the_limit_changes_nothing(stale_ticket):
    assert run_job("close_stale_tickets", "--now", (NOW - timedelta(days=5)).isoformat()) == {
        "closed": 0
    }


def test_run_job_defaults_to_the_current_time(stale_ticket):
    with time_machine.travel(NOW, tick=False):
        assert run_job("close_stale_tickets") == {"closed": 1}


def test_run_job_lists_jobs_without_a_name():
    out = StringIO()
    call_command("run_job", stdout=out)
    assert "close_stale_tickets" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [(("nope",), "Unknown job"), (("close_stale_tickets", "--now", "yesterday"), "ISO 8601")],
)
def test_run_job_rejects_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_job", *args)


def test_the_celery_task_runs_the_job(stale_ticket):
    with time_machine.travel(NOW, tick=False):
        result = run_job_task.delay("close_stale_tickets").get()
    assert result == {"closed": 1}


class TestCronTrigger:
    @pytest.fixture(autouse=True)
    def _token(self, settings):
        settings.CRON_TRIGGER = True
        settings.CRON_TOKEN = "s3cret-cron-token"

    def test_runs_the_job_with_the_right_token(self, stale_ticket):
        with time_machine.travel(NOW, tick=False):
            response = HttpClient().post("/cron/close_stale_tickets?token=s3cret-cron-token")
        assert response.status_code == 200
        assert response.json() == {"job": "close_stale_tickets", "result": {"closed": 1}}

    def test_accepts_the_token_in_a_header(self, stale_ticket):
        response = HttpClient().get(
            "/cron/close_stale_tickets", HTTP_X_CRON_TOKEN="s3cret-cron-token"
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("token", ["", "wrong", "s3cret-cron-token-but-longer"])
    def test_refuses_a_wrong_token_and_runs_nothing(self, stale_ticket, token):
        with time_machine.travel(NOW, tick=False):
            response = HttpClient().post(f"/cron/close_stale_tickets?token={token}")
        assert response.status_code == 403
        assert response.json()["code"] == "invalid_token"
        stale_ticket.refresh_from_db()
        assert stale_ticket.status == Ticket.Status.ANSWERED

    def test_is_disabled_without_a_configured_token(self, settings):
        settings.CRON_TOKEN = ""
        response = HttpClient().post("/cron/close_stale_tickets?token=")
        assert response.status_code == 403

    def test_is_not_found_while_the_trigger_is_off(self, settings, stale_ticket):
        settings.CRON_TRIGGER = False
        response = HttpClient().post("/cron/close_stale_tickets?token=s3cret-cron-token")
        assert response.status_code == 404
        assert response.json()["code"] == "cron_trigger_off"
        stale_ticket.refresh_from_db()
        assert stale_ticket.status == Ticket.Status.ANSWERED

    def test_unknown_job_is_404(self):
        response = HttpClient().post("/cron/nope?token=s3cret-cron-token")
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_job"
