"""A submission is answered under a reserved number, then filed as that ticket by a worker
(or by the sweeper job when no worker did); filing is idempotent and never loses one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from snagdesk_server.core.jobs import job_run
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.services import ticket_open
from snagdesk_server.website_support.filing import submission_file, submissions_file_woken
from snagdesk_server.website_support.models import FilingWakeUp, Submission
from snagdesk_server.website_support.submissions import widget_submit
from tests import factories
from tests.website_support.widget import report, submit

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _accept(token, **fields):
    """Send a submission; what runs after its commit is up to the caller."""
    return widget_submit(**report(token, **fields))


def test_a_submission_is_answered_with_its_number_before_the_ticket_is_filed(
    token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        result = _accept(token)

    assert not Ticket.objects.exists()
    assert Submission.objects.get().number == result.number
    for callback in after_commit:
        callback()
    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.source) == (result.number, "widget")
    assert Submission.objects.get().filed_at is not None


def test_a_ticket_opened_meanwhile_takes_the_next_number(token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        result = _accept(token)
    staff_ticket = ticket_open(
        actor=None,
        subject="Phone call",
        message="Called in.",
        source="staff",
        submitter_email="caller@client.example",
    )
    for callback in after_commit:
        callback()

    assert staff_ticket.number == result.number + 1
    assert Ticket.objects.filter(number=result.number, source="widget").exists()


def test_a_retry_before_filing_gets_the_same_number(
    visitor, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first = _accept(token, idempotency_key="k")
    again = submit(visitor, token, idempotency_key="k")

    assert again.status_code == 201
    assert again.json()["number"] == first.number
    assert again["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1


def test_filing_again_changes_nothing():
    submission = factories.SubmissionFactory()

    first = submission_file(submission_id=submission.pk, now=NOW)
    second = submission_file(submission_id=submission.pk, now=NOW)

    assert first == second
    assert Ticket.objects.count() == 1
    submission.token.refresh_from_db()
    assert submission.token.submission_count == 1


def test_the_sweeper_files_what_no_worker_filed_after_a_minute():
    with time_machine.travel(NOW, tick=False):
        submission = factories.SubmissionFactory()

    assert job_run("file_widget_submissions", now=NOW + timedelta(seconds=30)) == {"filed": 0}
    assert job_run("file_widget_submissions", now=NOW + timedelta(seconds=61)) == {"filed": 1}
    assert job_run("file_widget_submissions", now=NOW + timedelta(seconds=61)) == {"filed": 0}
    submission.refresh_from_db()
    assert submission.filed_at == NOW + timedelta(seconds=61)
    assert Ticket.objects.get(number=submission.number).created_at == submission.created_at


def test_a_submission_that_can_no_longer_be_filed_keeps_why_and_is_not_retried():
    submission = factories.SubmissionFactory()
    # Between the answer and the filing, the contact moved to another client.
    submission.contact = factories.ContactFactory()
    submission.save()

    assert submission_file(submission_id=submission.pk, now=NOW) is None

    submission.refresh_from_db()
    assert submission.failure.startswith("invalid:")
    assert "belongs to another client" in submission.failure
    assert job_run("file_widget_submissions", now=NOW + timedelta(hours=1)) == {"filed": 0}
    assert not Ticket.objects.exists()


def test_filed_submissions_are_forgotten_after_a_week_and_waiting_ones_kept():
    filed, waiting = factories.SubmissionFactory(), factories.SubmissionFactory()
    submission_file(submission_id=filed.pk, now=NOW)

    assert job_run("prune_widget_submissions", now=NOW + timedelta(days=6)) == {"deleted": 0}
    assert job_run("prune_widget_submissions", now=NOW + timedelta(days=8)) == {"deleted": 1}
    assert list(Submission.objects.all()) == [waiting]
    assert Ticket.objects.count() == 1


def test_a_default_contact_of_another_client_is_refused_before_anything_is_written(visitor, token):
    token.default_contact = factories.ContactFactory()
    token.save()

    response = submit(visitor, token)

    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert "contact" in response.json()["fields"]
    assert not Submission.objects.exists()


def test_a_submission_accepted_while_a_run_is_queued_is_left_to_that_run(
    token, django_capture_on_commit_callbacks
):
    FilingWakeUp.objects.create(asked_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        result = _accept(token)

    assert not Ticket.objects.exists()  # no second run was queued for it
    assert submissions_file_woken(now=NOW) == 1
    assert Ticket.objects.get().number == result.number
    assert not FilingWakeUp.objects.exists()


def test_a_submission_accepted_after_a_run_began_queues_another_run(
    token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _accept(token)  # queued a run; eager here, it ran at once and cleared the wake-up
        second = _accept(token, subject="Also the footer")

    assert Ticket.objects.filter(number=second.number).exists()
    assert not FilingWakeUp.objects.exists()


def test_a_wake_up_whose_run_never_began_lapses_after_ten_seconds(
    token, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        FilingWakeUp.objects.create(asked_at=timezone.now())  # its message was lost
    with (
        time_machine.travel(NOW + timedelta(seconds=11), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = _accept(token)

    assert Ticket.objects.get().number == result.number


def test_one_run_files_every_waiting_submission():
    waiting = [factories.SubmissionFactory() for _ in range(3)]

    assert submissions_file_woken(now=NOW) == 3
    assert submissions_file_woken(now=NOW) == 0
    assert sorted(Ticket.objects.values_list("number", flat=True)) == [s.number for s in waiting]
