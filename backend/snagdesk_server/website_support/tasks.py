from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from snagdesk_server.website_support.filing import submissions_file_woken


@shared_task(name="snagdesk_server.website_support.tasks.widget_submissions_file")
def widget_submissions_file() -> int:
    return submissions_file_woken(now=timezone.now())
