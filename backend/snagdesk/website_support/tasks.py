from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from snagdesk.website_support.submissions import submission_file


@shared_task(name="snagdesk.website_support.tasks.widget_submission_file")
def widget_submission_file(submission_id: int) -> int | None:
    ticket = submission_file(submission_id=submission_id, now=timezone.now())
    return ticket.number if ticket else None
