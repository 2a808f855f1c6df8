from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from snagdesk.core.jobs import job_run


@shared_task(name="snagdesk.core.tasks.run_job")
def run_job(name: str) -> dict[str, Any]:
    return job_run(name, now=timezone.now())
