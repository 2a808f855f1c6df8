"""Concurrent submissions on a real database (PostgreSQL only, like tests/tickets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from snagdesk_server.tickets.models import Attachment, Ticket
from snagdesk_server.website_support.filing import submission_file, submissions_file_woken
from snagdesk_server.website_support.models import Submission, WidgetToken
from snagdesk_server.website_support.submissions import SubmitResult, widget_submit
from tests import factories
from tests.tickets.test_concurrency import race
from tests.website_support.widget import ORIGIN, image_bytes, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_submissions_with_the_same_key_file_one_ticket(attempt):
    token_id = factories.WidgetTokenFactory().pk
    results: list[SubmitResult] = []

    def send() -> None:
        results.append(
            widget_submit(
                token=WidgetToken.objects.select_related("project").get(pk=token_id),
                origin=ORIGIN,
                subject="Checkout is blank",
                message="The pay button does nothing.",
                name="Ada",
                email="ada@visitor.example",
                screenshot=upload("s.png", image_bytes("PNG")),
                idempotency_key="the-same-key",
            )
        )

    errors = race(*[send] * 4)

    assert errors == []
    ticket = Ticket.objects.get()
    assert [r.number for r in results] == [ticket.number] * 4
    assert sorted(r.replayed for r in results) == [False, True, True, True]
    assert Submission.objects.count() == Attachment.objects.count() == 1
    assert len([p for p in Path(settings.MEDIA_ROOT, "tickets").rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_submission_filed_by_several_workers_at_once_is_one_ticket(attempt):
    submission = factories.SubmissionFactory()
    results: list[Ticket | None] = []

    def file() -> None:
        results.append(submission_file(submission_id=submission.pk, now=timezone.now()))

    errors = race(*[file] * 4)

    assert errors == []
    ticket = Ticket.objects.get()
    assert ticket.number == submission.number
    # Each got the ticket, or skipped it while another worker was filing it.
    assert {r.pk if r else None for r in results} <= {ticket.pk, None}
    assert any(results)
    submission.refresh_from_db()
    assert submission.filed_at is not None


def test_filing_runs_at_the_same_time_file_each_submission_once():
    numbers = sorted(factories.SubmissionFactory().number for _ in range(6))

    errors = race(*[lambda: submissions_file_woken(now=timezone.now())] * 3)

    assert errors == []
    assert sorted(Ticket.objects.values_list("number", flat=True)) == numbers
